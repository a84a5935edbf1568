export { spinKeyValue } from "./spin-key-value.js";
export type { KeyValueBackend, KeyValueStore } from "./store.js";
