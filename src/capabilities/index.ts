import { spinKeyValue, type KeyValueBackend } from "./key-value/index.js";
import { spinVariables } from "./variables/index.js";

/** What a component is granted, as the worker needs it (structured-cloneable). */
export interface ComponentGrants {
  variables: Array<[string, string]>;
  /** The key-value stores its `key_value_stores` names, with where each one lives. */
  keyValue: Array<[string, KeyValueBackend]>;
}

/** Host interfaces the capabilities serve, unversioned as jco's glue names them. */
export const CAPABILITY_INTERFACES: ReadonlySet<string> = new Set(["fermyon:spin/variables", "fermyon:spin/key-value"]);

/** The capability imports for one instance of a component with these grants. */
export function capabilityImports(grants: ComponentGrants): Record<string, Record<string, unknown>> {
  return {
    "fermyon:spin/variables": spinVariables(grants.variables),
    "fermyon:spin/key-value": spinKeyValue(grants.keyValue),
  };
}
