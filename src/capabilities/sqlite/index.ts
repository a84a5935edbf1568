export { openSqlite } from "./open-sqlite.js";
export { spinSqlite, type SqliteBackend } from "./spin-sqlite.js";
