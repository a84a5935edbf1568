export { variables } from "./capability.js";
export { resolveVariables, type ResolvedVariables, type VariableSources } from "./resolve-variables.js";
export type { VariablesProvider } from "./runtime-config.js";
export { renderWithVariables } from "./template.js";
