import { openSqlite } from "../sqlite/open-sqlite.js";
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

  constructor(file: string, private readonly store: string) {
    const db = openSqlite(file);
    db.exec("CREATE TABLE IF NOT EXISTS spin_key_value (store TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (store, key))");
    this.getStatement = db.prepare<[string, string], { value: Buffer }>("SELECT value FROM spin_key_value WHERE store = ? AND key = ?");
    this.setStatement = db.prepare("INSERT INTO spin_key_value (store, key, value) VALUES (?, ?, ?) ON CONFLICT (store, key) DO UPDATE SET value = excluded.value");
    this.deleteStatement = db.prepare("DELETE FROM spin_key_value WHERE store = ? AND key = ?");
    this.existsStatement = db.prepare<[string, string], { found: bigint }>("SELECT 1 AS found FROM spin_key_value WHERE store = ? AND key = ?");
    this.keysStatement = db.prepare<[string], { key: string }>("SELECT key FROM spin_key_value WHERE store = ? ORDER BY key");
  }

  get(key: string): Uint8Array | undefined {
    const row = this.getStatement.get(this.store, key);
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

  keys(): string[] {
    return this.keysStatement.all(this.store).map((row) => row.key);
  }
}
