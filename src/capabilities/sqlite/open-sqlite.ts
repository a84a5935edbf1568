import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { WispError } from "../../errors/wisp-error.js";

/** One host connection per file per thread (node:sqlite is synchronous, as guests are), opened on first use. */
const connections = new Map<string, DatabaseSync>();

/**
 * Opens a SQLite file for Wisp's own statements (the key-value store, `--sqlite` migrations): WAL
 * so the worker threads' connections read and write side by side, a busy timeout instead of an
 * immediate error under contention, 64-bit integers kept exact, no extensions, and SQLite's
 * defensive mode (no writes to the schema tables by hand). A write is committed before the call
 * returns. Guests get their own, confined connection: `openGuestDatabase`.
 */
export function openSqlite(file: string): DatabaseSync {
  let db = connections.get(file);
  if (!db) {
    db = openFile(file);
    connections.set(file, db);
  }
  return db;
}

/** A new connection to `file`, set up as `openSqlite` describes. */
export function openFile(file: string): DatabaseSync {
  let db: DatabaseSync | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new DatabaseSync(file, { readBigInts: true, timeout: 5000, defensive: true, allowExtension: false });
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
    return db;
  } catch (error) {
    db?.close();
    throw sqliteFileError(file, error);
  }
}

/**
 * A SQLite file that cannot be opened (corrupt, not a database, a folder), as a user error that
 * names it: SQLite's own message ("file is not a database") does not say which file.
 */
export function sqliteFileError(file: string, error: unknown): WispError {
  return new WispError(
    "RUNTIME_CONFIG_INVALID",
    `cannot open the SQLite file ${file}: ${(error as Error).message ?? String(error)}`,
    "move the file away (Wisp starts a new, empty one) or restore it from a backup; another place for it can be set in a runtime config file (--runtime-config-file)",
  );
}
