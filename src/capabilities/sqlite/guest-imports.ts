import type { GuestImportsBuilder } from "../capability.js";
import type { SqliteBackend } from "./sqlite-backend.js";
import { spinSqlite } from "./spin-sqlite.js";

/** Worker: one implementation serves fermyon:spin/sqlite@2.0.0, spin:sqlite@3.0.0 (which adds two calls) and Spin 4's 3.1.0 (which adds their async forms). */
export const sqliteImports: GuestImportsBuilder<Array<[string, SqliteBackend]>> = (grant) => {
  const sqlite = spinSqlite(grant);
  return { "fermyon:spin/sqlite": sqlite, "spin:sqlite/sqlite": sqlite };
};
