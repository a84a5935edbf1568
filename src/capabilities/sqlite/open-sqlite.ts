import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createRequire } from "node:module";
import type Database from "better-sqlite3";
import { WispError } from "../../errors/wisp-error.js";

/** Loaded on first use (~25 ms at start otherwise, on main and on every worker). */
let Driver: typeof Database | undefined;
const require = createRequire(import.meta.url);

/** One connection per file per thread (better-sqlite3 is synchronous, as guests are), opened on first use. */
const connections = new Map<string, Database.Database>();

/**
 * Opens a SQLite file for a capability: WAL so the worker threads' connections read and write
 * side by side, a busy timeout instead of an immediate error under contention, and 64-bit
 * integers kept exact. A write is committed before the call returns.
 */
export function openSqlite(file: string): Database.Database {
  let db = connections.get(file);
  if (!db) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      Driver ??= require("better-sqlite3") as typeof Database;
      db = new Driver(file);
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.pragma("busy_timeout = 5000");
      db.defaultSafeIntegers(true);
    } catch (error) {
      db?.close();
      throw sqliteFileError(file, error);
    }
    connections.set(file, db);
  }
  return db;
}

/**
 * A SQLite file that cannot be opened (corrupt, not a database, a folder), as a user error that
 * names it: SQLite's own message ("file is not a database") does not say which file.
 */
export function sqliteFileError(file: string, error: unknown): WispError {
  return new WispError("RUNTIME_CONFIG_INVALID", `cannot open the SQLite file ${file}: ${(error as Error).message ?? String(error)}`,
    "move the file away (Wisp starts a new, empty one) or restore it from a backup; another place for it can be set in a runtime config file (--runtime-config-file)");
}
