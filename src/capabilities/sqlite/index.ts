export { openSqlite, spinSqlite, type SqliteBackend } from "./spin-sqlite.js";
