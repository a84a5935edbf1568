import type Database from "better-sqlite3";
import { openSqlite } from "./open-sqlite.js";

/** A database a component is granted: its file (structured-cloneable, sent to workers). */
export type SqliteBackend = { path: string };

type Value = { tag: "integer"; val: bigint } | { tag: "real"; val: number } | { tag: "text"; val: string } | { tag: "blob"; val: Uint8Array } | { tag: "null" };


function toParameter(value: Value): unknown {
  switch (value.tag) {
    case "integer":
      return value.val;
    case "real":
      return value.val;
    case "text":
      return value.val;
    case "blob":
      return Buffer.from(value.val);
    default:
      return null;
  }
}

function toValue(value: unknown): Value {
  if (value === null || value === undefined) return { tag: "null" };
  if (typeof value === "bigint") return { tag: "integer", val: value };
  if (typeof value === "number") return Number.isInteger(value) ? { tag: "integer", val: BigInt(value) } : { tag: "real", val: value };
  if (typeof value === "string") return { tag: "text", val: value };
  if (value instanceof Uint8Array) return { tag: "blob", val: new Uint8Array(value) };
  return { tag: "text", val: String(value) };
}

function ioError(error: unknown): never {
  throw { tag: "io", val: (error as Error).message ?? String(error) };
}

/**
 * `fermyon:spin/sqlite@2.0.0` for one instance: `Connection.open` succeeds only for the databases
 * the component's `sqlite_databases` grants; anything else is `access-denied`. A statement's
 * parameters bind positionally; a statement that returns rows answers them with their columns.
 */
export function spinSqlite(granted: ReadonlyArray<readonly [string, SqliteBackend]>) {
  const grants = new Map(granted);
  class Connection {
    private constructor(private readonly db: Database.Database) {}

    static open(database: string): Connection {
      const backend = grants.get(database);
      if (!backend) throw { tag: "access-denied" };
      try {
        return new Connection(openSqlite(backend.path));
      } catch (error) {
        return ioError(error);
      }
    }

    execute(statement: string, parameters: Value[]): { columns: string[]; rows: Array<{ values: Value[] }> } {
      try {
        const prepared = this.db.prepare(statement);
        const args = parameters.map(toParameter);
        if (!prepared.reader) {
          prepared.run(...args);
          return { columns: [], rows: [] };
        }
        const columns = prepared.columns().map((c) => c.name);
        const rows = (prepared.raw(true).all(...args) as unknown[][]).map((row) => ({ values: row.map(toValue) }));
        return { columns, rows };
      } catch (error) {
        return ioError(error);
      }
    }
  }
  return { Connection };
}
