import { witError } from "../guest-errors.js";
import { VARIABLE_NAME } from "./template.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as SpinVariables from "../../generated/fermyon-spin/interfaces/fermyon-spin-variables.js";
import type * as SpinVariablesAsync from "../../generated/spin-variables@3.0.0/interfaces/spin-variables-variables.js";

/**
 * `fermyon:spin/variables@2.0.0` for one component: `get` answers only the names its manifest
 * entry grants; anything else is the interface's error, never a trap.
 */
export function spinVariables(granted: ReadonlyArray<readonly [string, string]>) {
  const values = new Map(granted);
  return {
    get(name: string): string {
      if (!VARIABLE_NAME.test(name))
        throw witError("invalid-name", `"${name}" is not a variable name`) satisfies SpinVariables.Error;
      const value = values.get(name);
      if (value === undefined)
        throw witError(
          "undefined",
          `the component has no variable named ${name}; grant it in the manifest's component variables`,
        ) satisfies SpinVariables.Error;
      return value;
    },
  } satisfies HostImplementation<typeof SpinVariables>;
}

/**
 * `spin:variables/variables@3.0.0` (Spin 4) for one component: 2.0's `get`, async, with the same
 * grants and errors. The values are resolved at start, so it answers at once.
 */
export function spinVariablesAsync(granted: ReadonlyArray<readonly [string, string]>) {
  const sync = spinVariables(granted);
  return {
    get: (name: string): Promise<string> => Promise.resolve().then(() => sync.get(name)),
  } satisfies HostImplementation<typeof SpinVariablesAsync>;
}
