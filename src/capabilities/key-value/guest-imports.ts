import type { GuestImportsBuilder } from "../capability.js";
import { spinKeyValue, spinKeyValueAwaited } from "./spin-key-value.js";
import { spinKeyValueAsync } from "./spin-key-value-async.js";
import type { KeyValueBackend } from "./store.js";
import { wasiKeyValue, wasiKeyValueAwaited } from "./wasi-keyvalue.js";

/** Worker: Spin's key-value interfaces (2.0, and Spin 4's async 3.0) and wasi:keyvalue, over the same stores and grants. */
export const keyValueImports: GuestImportsBuilder<Array<[string, KeyValueBackend]>> = (grant, instance) => {
  const wasi = instance.suspends ? wasiKeyValueAwaited(grant) : wasiKeyValue(grant);
  return {
    "fermyon:spin/key-value": instance.suspends ? spinKeyValueAwaited(grant) : spinKeyValue(grant),
    "spin:key-value/key-value": spinKeyValueAsync(grant),
    "wasi:keyvalue/store": wasi.store,
    "wasi:keyvalue/atomics": wasi.atomics,
    "wasi:keyvalue/batch": wasi.batch,
  };
};
