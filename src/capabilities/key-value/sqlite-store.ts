import type { DatabaseSync } from "node:sqlite";
import { openSqlite, sqliteFileError } from "../sqlite/open-sqlite.js";
import type { KeyValueStore } from "./store.js";

/**
 * A key-value store in a SQLite file, with Spin's schema (`spin_key_value`), so a Spin app's
 * store file can be opened by Wisp and the other way round. Calls are synchronous, which is what
 * a guest running on a worker thread needs. WAL keeps readers and the writer of other worker
 * threads apart; a write is committed before `set` returns, so it survives a crash of Wisp.
 */
export class SqliteKeyValue implements KeyValueStore {
  private readonly getStatement;
  private readonly setStatement;
  private readonly deleteStatement;
  private readonly existsStatement;
  private readonly keysStatement;
  private readonly swapStatement;
  private readonly insertNewStatement;
  private readonly db: DatabaseSync;

  constructor(
    file: string,
    private readonly store: string,
  ) {
    const db = (this.db = openSqlite(file));
    try {
      db.exec(
        "CREATE TABLE IF NOT EXISTS spin_key_value (store TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (store, key))",
      );
    } catch (error) {
      throw sqliteFileError(file, error);
    }
    this.getStatement = db.prepare("SELECT value FROM spin_key_value WHERE store = ? AND key = ?");
    this.setStatement = db.prepare(
      "INSERT INTO spin_key_value (store, key, value) VALUES (?, ?, ?) ON CONFLICT (store, key) DO UPDATE SET value = excluded.value",
    );
    this.deleteStatement = db.prepare("DELETE FROM spin_key_value WHERE store = ? AND key = ?");
    this.existsStatement = db.prepare("SELECT 1 AS found FROM spin_key_value WHERE store = ? AND key = ?");
    this.keysStatement = db.prepare("SELECT key FROM spin_key_value WHERE store = ? ORDER BY key");
    this.swapStatement = db.prepare("UPDATE spin_key_value SET value = ? WHERE store = ? AND key = ? AND value = ?");
    this.insertNewStatement = db.prepare(
      "INSERT INTO spin_key_value (store, key, value) VALUES (?, ?, ?) ON CONFLICT (store, key) DO NOTHING",
    );
  }

  get(key: string): Uint8Array | undefined {
    const row = this.getStatement.get(this.store, key) as { value: Uint8Array } | undefined;
    return row ? new Uint8Array(row.value) : undefined;
  }

  set(key: string, value: Uint8Array): void {
    this.setStatement.run(this.store, key, Buffer.from(value));
  }

  delete(key: string): void {
    this.deleteStatement.run(this.store, key);
  }

  exists(key: string): boolean {
    return this.existsStatement.get(this.store, key) !== undefined;
  }

  /**
   * The integer is 8 bytes little-endian, as Spin's SQLite store keeps it. IMMEDIATE: the write
   * lock is taken before reading, so two workers cannot both read the old value.
   */
  increment(key: string, delta: bigint): bigint {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const current = this.get(key);
      if (current && current.length !== 8)
        throw new Error(`the value of ${key} is not a 64-bit integer (${current.length} bytes)`);
      const next = BigInt.asIntN(64, (current ? Buffer.from(current).readBigInt64LE() : 0n) + delta);
      const bytes = Buffer.alloc(8);
      bytes.writeBigInt64LE(next);
      this.set(key, bytes);
      this.db.exec("COMMIT");
      return next;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  compareAndSwap(key: string, expected: Uint8Array | undefined, value: Uint8Array): boolean {
    const result = expected
      ? this.swapStatement.run(Buffer.from(value), this.store, key, Buffer.from(expected))
      : this.insertNewStatement.run(this.store, key, Buffer.from(value));
    return Number(result.changes) === 1;
  }

  keys(): string[] {
    return (this.keysStatement.all(this.store) as Array<{ key: string }>).map((row) => row.key);
  }
}
