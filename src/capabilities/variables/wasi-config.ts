import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as WasiConfig from "../../generated/wasi-config/interfaces/wasi-config-store.js";

/**
 * `wasi:config/store@0.2.0-draft-2024-09-27` for one component: the same values as Spin's
 * variables interface, read through WASI's config API. As in Spin, a name the component was not
 * granted (or that is not a variable name at all) is `none`, not an error.
 */
export function wasiConfig(granted: ReadonlyArray<readonly [string, string]>) {
  const values = new Map(granted);
  return {
    get(key: string): string | undefined {
      return values.get(key);
    },
    getAll(): Array<[string, string]> {
      return [...values];
    },
  } satisfies HostImplementation<typeof WasiConfig>;
}
