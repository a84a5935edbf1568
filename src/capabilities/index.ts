import { spinVariables } from "./variables/index.js";

/** What a component is granted, as the worker needs it (structured-cloneable). */
export interface ComponentGrants {
  variables: Array<[string, string]>;
}

/** Host interfaces the capabilities serve, unversioned as jco's glue names them. */
export const CAPABILITY_INTERFACES: ReadonlySet<string> = new Set(["fermyon:spin/variables"]);

/** The capability imports for one instance of a component with these grants. */
export function capabilityImports(grants: ComponentGrants): Record<string, Record<string, unknown>> {
  return {
    "fermyon:spin/variables": spinVariables(grants.variables),
  };
}
