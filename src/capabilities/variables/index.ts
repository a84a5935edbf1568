export { resolveVariables, type ResolvedVariables, type VariableSources } from "./resolve-variables.js";
export { spinVariables } from "./spin-variables.js";
export { wasiConfig } from "./wasi-config.js";
export { renderWithVariables } from "./template.js";
