export { spinKeyValue } from "./spin-key-value.js";
export type { KeyValueBackend, KeyValueStore } from "./store.js";
export { wasiKeyValue } from "./wasi-keyvalue.js";
