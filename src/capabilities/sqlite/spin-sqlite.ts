import type { SQLInputValue, SQLOutputValue } from "node:sqlite";
import { backendCall, failureText, witError, witOk } from "../guest-errors.js";
import { ResultTooLarge, RowBudget } from "../result-budget.js";
import { GuestDatabase } from "./guest-database.js";
import type { SqliteBackend } from "./sqlite-backend.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as SpinSqlite from "../../generated/fermyon-spin/interfaces/fermyon-spin-sqlite.js";
import type * as SpinSqlite3 from "../../generated/spin-sqlite/interfaces/spin-sqlite-sqlite.js";
import type * as SpinSqlite31 from "../../generated/spin-sqlite@3.1.0/interfaces/spin-sqlite-sqlite.js";

type Value =
  | { tag: "integer"; val: bigint }
  | { tag: "real"; val: number }
  | { tag: "text"; val: string }
  | { tag: "blob"; val: Uint8Array }
  | { tag: "null" };
type Rows = { columns: string[]; rows: Array<{ values: Value[] }> };

function toParameter(value: Value): SQLInputValue {
  return value.tag === "null" ? null : value.val;
}

/** Integers are read as bigint (the connection's readBigInts), so a number is always a REAL. */
function toValue(value: SQLOutputValue): Value {
  if (value === null) return { tag: "null" };
  if (typeof value === "bigint") return { tag: "integer", val: value };
  if (typeof value === "number") return { tag: "real", val: value };
  if (typeof value === "string") return { tag: "text", val: value };
  return { tag: "blob", val: new Uint8Array(value) };
}

/** A database's failure as the interface's `io` error. */
const ioError = (error: unknown) => witError("io", failureText(error)) satisfies SpinSqlite.Error & SpinSqlite3.Error;

/** A call made now (a local database's statements are short), answered as a promise. */
const answered = <T>(call: () => T): Promise<T> => Promise.resolve().then(call);

/**
 * `fermyon:spin/sqlite@2.0.0` for one instance: `Connection.open` succeeds only for the databases
 * the component's `sqlite_databases` grants; anything else is `access-denied`. A statement's
 * parameters bind positionally; a statement that returns rows answers them with their columns.
 * The same class serves `spin:sqlite@3.0.0` (`last-insert-rowid`, `changes`) and Spin 4's
 * `@3.1.0`, whose async functions (`open-async`, `execute-async` with its rows as a stream...)
 * answer what the synchronous ones do.
 */
export function spinSqlite(granted: ReadonlyArray<readonly [string, SqliteBackend]>) {
  const grants = new Map(granted);
  class Connection {
    /** Per connection, as Spin keeps them, not per database handle (which other requests share). */
    private lastRowid = 0n;
    private lastChanges = 0n;

    private constructor(private readonly db: GuestDatabase) {}

    static open(database: string): Connection {
      const backend = grants.get(database);
      if (!backend) throw witError("access-denied") satisfies SpinSqlite.Error & SpinSqlite3.Error;
      return new Connection(backendCall(() => GuestDatabase.open(backend.path), ioError));
    }

    execute(statement: string, parameters: Value[]): Rows {
      return backendCall(
        () =>
          this.db.execute(statement, (prepared, changesRows) => {
            const args = parameters.map(toParameter);
            const before = changesRows ? this.db.handleState().lastInsertRowid : 0n;
            let result: Rows = { columns: [], rows: [] };
            const columns = prepared.columns().map((c) => c.name);
            if (columns.length > 0) {
              // A query, or a statement that writes and returns rows (INSERT ... RETURNING).
              prepared.setReturnArrays(true);
              // Row by row, within the budget: a recursive query can make more rows than memory holds.
              const budget = new RowBudget();
              const rows: Rows["rows"] = [];
              for (const row of prepared.iterate(...args) as Iterable<SQLOutputValue[]>) {
                if (!budget.take(row)) throw new ResultTooLarge();
                rows.push({ values: row.map(toValue) });
              }
              result = { columns, rows };
            } else {
              prepared.run(...args);
            }
            if (changesRows) {
              const after = this.db.handleState();
              this.lastChanges = after.changes;
              // The handle is shared with other requests: a rowid counts as this connection's only if
              // this statement moved it (a fresh connection answers 0, as Spin's does).
              if (after.lastInsertRowid !== before) this.lastRowid = after.lastInsertRowid;
            }
            return result;
          }),
        ioError,
      );
    }

    /** spin:sqlite@3.0.0: the rowid of this connection's last INSERT, or 0. */
    lastInsertRowid(): bigint {
      return this.lastRowid;
    }

    /** spin:sqlite@3.0.0: the rows this connection's last INSERT, UPDATE or DELETE changed. */
    changes(): bigint {
      return this.lastChanges;
    }

    static openAsync(database: string): Promise<Connection> {
      return answered(() => Connection.open(database));
    }

    /**
     * spin:sqlite@3.1.0: the columns, the rows as a stream, and a future of whether all came. The
     * statement runs whole first (as `execute`: its changes counted, its errors the call's own),
     * so the future is always ok.
     */
    executeAsync(
      statement: string,
      parameters: Value[],
    ): Promise<[string[], ReadableStream<Rows["rows"][number]>, Promise<{ tag: "ok"; val: undefined }>]> {
      return answered(() => {
        const { columns, rows } = this.execute(statement, parameters);
        const stream = new ReadableStream<Rows["rows"][number]>({
          start(controller) {
            for (const row of rows) controller.enqueue(row);
            controller.close();
          },
        });
        return [columns, stream, Promise.resolve(witOk(undefined))];
      });
    }

    lastInsertRowidAsync(): Promise<bigint> {
      return answered(() => this.lastRowid);
    }

    changesAsync(): Promise<bigint> {
      return answered(() => this.lastChanges);
    }
  }
  // One implementation serves every version: 3.0.0 adds lastInsertRowid and changes, 3.1.0 the async functions.
  return { Connection } satisfies HostImplementation<typeof SpinSqlite> &
    HostImplementation<typeof SpinSqlite3> &
    HostImplementation<typeof SpinSqlite31>;
}
