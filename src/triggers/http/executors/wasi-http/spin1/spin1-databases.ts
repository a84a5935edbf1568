import type { Spin1Memory } from "./spin1-memory.js";
import {
  catching,
  text,
  type Capabilities,
  type Opener,
  type RdbmsConnection,
  type SqliteConnection,
  type Variant,
} from "./capability-hosts.js";

/**
 * Spin 1's `sqlite`, `outbound-pg` and `outbound-mysql` (and Spin 1.4's unversioned
 * `fermyon:spin/sqlite`, `postgres` and `mysql`, the same functions) over the capabilities'
 * `fermyon:spin/sqlite`, `postgres` and `mysql` hosts: the same grants (`sqlite_databases`,
 * `allowed_outbound_hosts`) and the same connections. In wit-bindgen 0.2's layout, as
 * spin1-interfaces.ts: a value variant is 16 bytes, its case at 0 and its payload at 8.
 */

/** A request's open SQLite connections; a connection's number is its index. */
export type SqliteConnections = Array<SqliteConnection | undefined>;

/** sqlite's `value` cases, in order. */
const SQLITE_VALUES = ["integer", "real", "text", "blob", "null"] as const;
/** rdbms-types' `parameter-value` and `db-value` cases, in order (db-value adds `unsupported`). */
const DB_VALUES = [
  "boolean",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "floating32",
  "floating64",
  "str",
  "binary",
  "db-null",
  "unsupported",
] as const;
/** rdbms-types' `db-data-type` cases, in order. */
const DATA_TYPES = [...DB_VALUES.slice(0, 13), "other"] as const;
/** sqlite's error cases (`io(string)` last), and pg-error's / mysql-error's (after `success`). */
const SQLITE_ERRORS = ["no-such-database", "access-denied", "invalid-connection", "database-full", "io"];
const RDBMS_ERRORS = [
  "success",
  "connection-failed",
  "bad-parameter",
  "query-failed",
  "value-conversion-failed",
  "other-error",
];

const VALUE_SIZE = 16;

/** Reads one value variant at `at` whose case names are `cases`. */
function readValue(memory: Spin1Memory, at: number, cases: readonly string[]): Variant {
  const tag = cases[memory.u8(at)];
  if (tag === undefined) throw new RangeError(`a value's case ${memory.u8(at)} is not one of ${cases.join(", ")}`);
  const p = at + 8;
  switch (tag) {
    case "null":
    case "db-null":
    case "unsupported":
      return { tag };
    case "boolean":
      return { tag, val: memory.u8(p) !== 0 };
    case "int8":
      return { tag, val: (memory.u8(p) << 24) >> 24 };
    case "int16":
      return { tag, val: (memory.u16(p) << 16) >> 16 };
    case "int32":
      return { tag, val: memory.u32(p) | 0 };
    case "uint8":
      return { tag, val: memory.u8(p) };
    case "uint16":
      return { tag, val: memory.u16(p) };
    case "uint32":
      return { tag, val: memory.u32(p) };
    case "integer":
    case "int64":
      return { tag, val: memory.i64(p) };
    case "uint64":
      return { tag, val: BigInt.asUintN(64, memory.i64(p)) };
    case "floating32":
      return { tag, val: memory.f32(p) };
    case "real":
    case "floating64":
      return { tag, val: memory.f64(p) };
    case "text":
    case "str":
      return { tag, val: memory.string(memory.u32(p), memory.u32(p + 4)) };
    default:
      return { tag, val: memory.bytes(memory.u32(p), memory.u32(p + 4)) };
  }
}

/** Writes one value variant at `at`. */
function writeValue(memory: Spin1Memory, at: number, cases: readonly string[], value: Variant): void {
  const index = cases.indexOf(value.tag);
  // A value the older interface has no case for (a newer type) reads as its last case, `unsupported` or `null`.
  memory.setU8(at, index < 0 ? cases.length - 1 : index);
  if (index < 0) return;
  const p = at + 8;
  const val = value.val;
  switch (value.tag) {
    case "boolean":
    case "int8":
    case "uint8":
      return memory.setU8(p, Number(val) & 0xff);
    case "int16":
    case "uint16":
      return memory.setU16(p, Number(val) & 0xffff);
    case "int32":
    case "uint32":
      return memory.setU32(p, Number(val) >>> 0);
    case "integer":
    case "int64":
    case "uint64":
      return memory.setI64(p, BigInt.asIntN(64, BigInt(val as bigint)));
    case "floating32":
      return memory.setF32(p, Number(val));
    case "real":
    case "floating64":
      return memory.setF64(p, Number(val));
    case "text":
    case "str": {
      const [pointer, length] = memory.putString(String(val));
      memory.setU32(p, pointer);
      return memory.setU32(p + 4, length);
    }
    case "blob":
    case "binary": {
      const [pointer, length] = memory.putBytes(val as Uint8Array);
      memory.setU32(p, pointer);
      return memory.setU32(p + 4, length);
    }
  }
}

function readValues(memory: Spin1Memory, pointer: number, count: number, cases: readonly string[]): Variant[] {
  return Array.from({ length: count }, (_, i) => readValue(memory, pointer + i * VALUE_SIZE, cases));
}

/** A list of values in the guest's memory: its (pointer, count). */
function putValues(memory: Spin1Memory, values: readonly Variant[], cases: readonly string[]): [number, number] {
  const [pointer] = memory.putBytes(new Uint8Array(values.length * VALUE_SIZE), 8);
  values.forEach((value, i) => writeValue(memory, pointer + i * VALUE_SIZE, cases, value));
  return [pointer, values.length];
}

/** An err with a string payload: the case at `at`, the string after it. */
function putError(memory: Spin1Memory, ret: number, at: number, tag: number, message?: string): void {
  memory.setU8(ret, 1);
  memory.setU8(at, tag);
  if (message === undefined) return;
  const [pointer, length] = memory.putString(message);
  memory.setU32(at + 4, pointer);
  memory.setU32(at + 8, length);
}

export function spin1Databases(
  capabilities: Capabilities,
  current: () => { memory: Spin1Memory; connections: SqliteConnections },
): Record<string, Record<string, (...args: never[]) => void>> {
  const sqlite = capabilities["fermyon:spin/sqlite"] as unknown as Opener<SqliteConnection>;
  const postgres = capabilities["fermyon:spin/postgres"] as unknown as Opener<RdbmsConnection>;
  const mysql = capabilities["fermyon:spin/mysql"] as unknown as Opener<RdbmsConnection>;

  const sqliteError = (ret: number, error: Variant) => {
    const index = SQLITE_ERRORS.indexOf(error.tag);
    putError(
      current().memory,
      ret,
      ret + 4,
      index < 0 ? SQLITE_ERRORS.length - 1 : index,
      index < 0 || error.tag === "io" ? `${index < 0 ? `${error.tag}: ` : ""}${text(error.val)}` : undefined,
    );
  };
  /** pg-error / mysql-error at `at` (4 after a row set or unit, 8 after a u64). */
  const rdbmsError = (ret: number, at: number, error: Variant) => {
    const tag = error.tag === "other" ? "other-error" : error.tag;
    const index = RDBMS_ERRORS.indexOf(tag);
    putError(
      current().memory,
      ret,
      at,
      index < 0 ? 5 : index,
      index < 0 ? `${tag}: ${text(error.val)}` : text(error.val),
    );
  };

  const sqliteFunctions = {
    open: (name: number, nameLength: number, ret: number) =>
      catching(
        () => {
          const { memory, connections } = current();
          connections.push(sqlite.Connection.open(memory.string(name, nameLength)));
          memory.setU8(ret, 0);
          memory.setU32(ret + 4, connections.length - 1);
        },
        (error) => sqliteError(ret, error),
      ),
    execute: (
      connection: number,
      statement: number,
      statementLength: number,
      params: number,
      count: number,
      ret: number,
    ) => {
      const { memory, connections } = current();
      const opened = connections[connection];
      if (!opened) return putError(memory, ret, ret + 4, SQLITE_ERRORS.indexOf("invalid-connection"));
      catching(
        () => {
          const result = opened.execute(
            memory.string(statement, statementLength),
            readValues(memory, params, count, SQLITE_VALUES),
          );
          // query-result at 4: columns (list<string>) at 4, rows (list<row-result>) at 12.
          const [columns, columnCount] = memory.putStrings(result.columns);
          const [rows] = memory.putBytes(new Uint8Array(result.rows.length * 8), 4);
          result.rows.forEach((row, i) => {
            const [values, valueCount] = putValues(memory, row.values, SQLITE_VALUES);
            memory.setU32(rows + i * 8, values);
            memory.setU32(rows + i * 8 + 4, valueCount);
          });
          memory.setU8(ret, 0);
          memory.setU32(ret + 4, columns);
          memory.setU32(ret + 8, columnCount);
          memory.setU32(ret + 12, rows);
          memory.setU32(ret + 16, result.rows.length);
        },
        (error) => sqliteError(ret, error),
      );
    },
    close: (connection: number) => {
      current().connections[connection] = undefined;
    },
  };

  const rdbmsFunctions = (opener: Opener<RdbmsConnection>, executeAnswersCount: boolean) => {
    const connect = (address: number, addressLength: number) =>
      opener.Connection.open(current().memory.string(address, addressLength));
    return {
      query: (a: number, al: number, s: number, sl: number, params: number, count: number, ret: number) => {
        const { memory } = current();
        catching(
          () => {
            const rowSet = connect(a, al).query(memory.string(s, sl), readValues(memory, params, count, DB_VALUES));
            // row-set at 4: columns (12-byte name, data-type) at 4, rows (list<list<db-value>>) at 12.
            const [columns] = memory.putBytes(new Uint8Array(rowSet.columns.length * 12), 4);
            rowSet.columns.forEach((column, i) => {
              const [name, nameLength] = memory.putString(column.name);
              memory.setU32(columns + i * 12, name);
              memory.setU32(columns + i * 12 + 4, nameLength);
              const type = DATA_TYPES.indexOf(column.dataType as (typeof DATA_TYPES)[number]);
              memory.setU8(columns + i * 12 + 8, type < 0 ? DATA_TYPES.length - 1 : type);
            });
            const [rows] = memory.putBytes(new Uint8Array(rowSet.rows.length * 8), 4);
            rowSet.rows.forEach((row, i) => {
              const [values, valueCount] = putValues(memory, row, DB_VALUES);
              memory.setU32(rows + i * 8, values);
              memory.setU32(rows + i * 8 + 4, valueCount);
            });
            memory.setU8(ret, 0);
            memory.setU32(ret + 4, columns);
            memory.setU32(ret + 8, rowSet.columns.length);
            memory.setU32(ret + 12, rows);
            memory.setU32(ret + 16, rowSet.rows.length);
          },
          (error) => rdbmsError(ret, ret + 4, error),
        );
      },
      execute: (a: number, al: number, s: number, sl: number, params: number, count: number, ret: number) => {
        const { memory } = current();
        // PostgreSQL answers a count (result<u64, pg-error>, payload at 8); MySQL nothing (payload at 4).
        const at = executeAnswersCount ? ret + 8 : ret + 4;
        catching(
          () => {
            const done = connect(a, al).execute(memory.string(s, sl), readValues(memory, params, count, DB_VALUES));
            memory.setU8(ret, 0);
            if (executeAnswersCount) memory.setI64(at, BigInt.asIntN(64, BigInt(done ?? 0n)));
          },
          (error) => rdbmsError(ret, at, error),
        );
      },
    };
  };

  const pg = rdbmsFunctions(postgres, true);
  const my = rdbmsFunctions(mysql, false);
  return {
    sqlite: sqliteFunctions,
    "outbound-pg": pg,
    "outbound-mysql": my,
    "fermyon:spin/sqlite": sqliteFunctions,
    "fermyon:spin/postgres": pg,
    "fermyon:spin/mysql": my,
  };
}
