import type { GuestImportsBuilder } from "../capability.js";
import { spinVariables } from "./spin-variables.js";
import { wasiConfig } from "./wasi-config.js";

/** Worker: the component's variables, through Spin's interface and wasi:config. */
export const variablesImports: GuestImportsBuilder<Array<[string, string]>> = (grant) => ({
  "fermyon:spin/variables": spinVariables(grant),
  "wasi:config/store": wasiConfig(grant),
});
