export { keyValue } from "./capability.js";
export type { KeyValueBackend, KeyValueStore } from "./store.js";
