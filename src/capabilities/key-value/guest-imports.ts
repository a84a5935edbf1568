import type { GuestImportsBuilder } from "../capability.js";
import { spinKeyValue } from "./spin-key-value.js";
import type { KeyValueBackend } from "./store.js";
import { wasiKeyValue } from "./wasi-keyvalue.js";

/** Worker: Spin's key-value interface and wasi:keyvalue, over the same stores and grants. */
export const keyValueImports: GuestImportsBuilder<Array<[string, KeyValueBackend]>> = (grant) => {
  const wasi = wasiKeyValue(grant);
  return {
    "fermyon:spin/key-value": spinKeyValue(grant),
    "wasi:keyvalue/store": wasi.store,
    "wasi:keyvalue/atomics": wasi.atomics,
    "wasi:keyvalue/batch": wasi.batch,
  };
};
