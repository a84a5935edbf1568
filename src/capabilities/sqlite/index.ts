export { sqlite } from "./capability.js";
export type { SqliteBackend } from "./sqlite-backend.js";
