export { spinKeyValue, type KeyValueBackend } from "./spin-key-value.js";
