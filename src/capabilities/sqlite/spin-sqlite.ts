import type Database from "better-sqlite3";
import { reachesOtherFiles } from "./confined-statement.js";
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

/** Compiled once per database handle, not on every write. */
const handleStates = new WeakMap<Database.Database, Database.Statement>();
function handleStateStatement(db: Database.Database): Database.Statement {
  let statement = handleStates.get(db);
  if (!statement) {
    statement = db.prepare("SELECT changes() AS changes, last_insert_rowid() AS lastInsertRowid").safeIntegers(true);
    handleStates.set(db, statement);
  }
  return statement;
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
    /** Per connection, as Spin keeps them, not per database handle (which other requests share). */
    private lastRowid = 0n;
    private lastChanges = 0n;

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
        const refused = reachesOtherFiles(this.db, statement, args);
        if (refused) throw new Error(refused);
        if (prepared.readonly) {
          const columns = prepared.columns().map((c) => c.name);
          const rows = (prepared.raw(true).all(...args) as unknown[][]).map((row) => ({ values: row.map(toValue) }));
          return { columns, rows };
        }
        const before = this.handleState().lastInsertRowid;
        let result: { columns: string[]; rows: Array<{ values: Value[] }> } = { columns: [], rows: [] };
        if (prepared.reader) {
          // A statement that writes and returns rows (INSERT ... RETURNING).
          const columns = prepared.columns().map((c) => c.name);
          result = { columns, rows: (prepared.raw(true).all(...args) as unknown[][]).map((row) => ({ values: row.map(toValue) })) };
        } else {
          prepared.run(...args);
        }
        const after = this.handleState();
        this.lastChanges = after.changes;
        // The handle is shared with other requests: a rowid counts as this connection's only if
        // this statement moved it (a fresh connection answers 0, as Spin's does).
        if (after.lastInsertRowid !== before) this.lastRowid = after.lastInsertRowid;
        return result;
      } catch (error) {
        return ioError(error);
      }
    }

    /** spin:sqlite@3.0.0: the rowid of this connection's last INSERT, or 0. */
    lastInsertRowid(): bigint {
      return this.lastRowid;
    }

    /** spin:sqlite@3.0.0: the rows this connection's last INSERT, UPDATE or DELETE changed. */
    changes(): bigint {
      return this.lastChanges;
    }

    private handleState(): { changes: bigint; lastInsertRowid: bigint } {
      return handleStateStatement(this.db).get() as { changes: bigint; lastInsertRowid: bigint };
    }
  }
  return { Connection };
}
