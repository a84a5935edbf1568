import type { GuestImportsBuilder } from "../capability.js";
import { spinVariables, spinVariablesAsync } from "./spin-variables.js";
import { wasiConfig } from "./wasi-config.js";

/** Worker: the component's variables, through Spin's interfaces (2.0, and Spin 4's async 3.0) and wasi:config. */
export const variablesImports: GuestImportsBuilder<Array<[string, string]>> = (grant) => ({
  "fermyon:spin/variables": spinVariables(grant),
  "spin:variables/variables": spinVariablesAsync(grant),
  "wasi:config/store": wasiConfig(grant),
});
