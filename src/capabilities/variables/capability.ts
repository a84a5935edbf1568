import type { Capability } from "../capability.js";
import { VARIABLES_KEYS } from "./component-variables.js";
import type { VariablesProvider } from "./runtime-config.js";
import { variablesProviderSection } from "./runtime-config.js";

/**
 * Variables: a component reads the names its `[component.ID.variables]` declares, rendered from
 * the app's `[variables]` (resolved once at start, see resolveVariables; a required one without a
 * value stops the start there).
 */
export const variables: Capability<Array<[string, string]>, VariablesProvider[], typeof VARIABLES_KEYS> = {
  name: "variables",
  interfaces: {
    "fermyon:spin/variables": "fermyon:spin@2.0.0",
    "wasi:config/store": "wasi:config@0.2.0-draft-2024-09-27",
  },
  // Resolved at start: nothing waits on main.
  suspending: { "fermyon:spin/variables": [], "wasi:config/store": [] },
  asyncInterfaces: { "spin:variables/variables": "spin:variables@3.0.0" },
  manifestKeys: VARIABLES_KEYS,
  runtimeConfig: variablesProviderSection,
  grant: (component, app) => app.variables?.components.get(component.id) ?? [],
  noGrant: () => [],
  guestImports: async () => (await import("./guest-imports.js")).variablesImports,
};
