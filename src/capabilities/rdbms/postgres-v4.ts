import pg from "pg";
import type { SqlCallArgs, V4Result, V4RowSet } from "./host-calls.js";
import { gatherQuery, poolFor } from "./postgres-pools.js";
import { BadParameter, V4_TYPES, v4Parameter, v4Value, type Tagged } from "./postgres-v4-values.js";

/*
 * spin:postgres@4.0.0's query and execute, on the same pools as the older versions. Errors are
 * answered as the interface's own `error` variant (a value, not a thrown message, see V4Result),
 * because 4.0.0 hands PostgreSQL's structured error (code, severity, detail...) to the guest.
 */

/** Every column as PostgreSQL's text: postgres-v4-values reads each by its Spin type. */
const ALL_AS_TEXT = { getTypeParser: (() => (text: string) => text) as unknown as typeof pg.types.getTypeParser };

/** Type names for `other(name)` columns, per address (a database's own types have their own OIDs). */
const typeNames = new Map<string, Map<number, string>>();

async function otherTypeNames({ address, caRoots }: SqlCallArgs, oids: number[]): Promise<Map<number, string>> {
  let known = typeNames.get(address);
  if (!known) typeNames.set(address, (known = new Map<number, string>()));
  const missing = oids.filter((oid) => !known.has(oid));
  if (missing.length > 0) {
    const { rows } = await poolFor(address, caRoots).query<{ oid: number; typname: string }>(
      "SELECT oid::int AS oid, typname FROM pg_type WHERE oid = ANY($1::oid[])",
      [missing],
    );
    for (const { oid, typname } of rows) known.set(oid, typname);
  }
  return known;
}

function parameters(args: SqlCallArgs): unknown[] {
  return args.params.map(v4Parameter);
}

/** The extra fields PostgreSQL may send with an error, under the names Spin gives them. */
const EXTRAS: Array<[keyof pg.DatabaseError, string]> = [
  ["column", "column"],
  ["constraint", "constraint"],
  ["routine", "routine"],
  ["hint", "hint"],
  ["table", "table"],
  ["dataType", "datatype"],
  ["schema", "schema"],
  ["file", "file"],
  ["line", "line"],
  ["where", "where_"],
];

function failed(error: unknown, badParameterTag: string): { error: Tagged } {
  if (error instanceof BadParameter) return { error: { tag: badParameterTag, val: error.message } };
  if (error instanceof pg.DatabaseError) {
    const extras = EXTRAS.flatMap(([field, name]) =>
      error[field] === undefined ? [] : [[name, String(error[field] as string | number)]],
    );
    return {
      error: {
        tag: "query-failed",
        val: {
          tag: "db-error",
          val: {
            asText: `${error.severity ?? "ERROR"}: ${error.message}${error.code ? ` (SQLSTATE ${error.code})` : ""}`,
            severity: error.severity ?? "ERROR",
            code: error.code ?? "",
            message: error.message,
            detail: error.detail,
            extras,
          },
        },
      },
    };
  }
  return { error: { tag: "query-failed", val: { tag: "text", val: (error as Error).message ?? String(error) } } };
}

export async function postgres4Query(args: SqlCallArgs): Promise<V4Result<V4RowSet>> {
  try {
    const result = await gatherQuery(poolFor(args.address, args.caRoots), {
      text: args.statement,
      values: parameters(args),
      types: ALL_AS_TEXT,
    });
    const unknown = result.fields.map((f) => f.dataTypeID).filter((oid) => !(oid in V4_TYPES));
    const names = unknown.length > 0 ? await otherTypeNames(args, unknown) : undefined;
    const kinds = result.fields.map((f) => V4_TYPES[f.dataTypeID] ?? "other");
    const columns = result.fields.map((field, i) => ({
      name: field.name,
      dataType:
        kinds[i] === "other"
          ? { tag: "other", val: names?.get(field.dataTypeID) ?? String(field.dataTypeID) }
          : { tag: kinds[i]! },
    }));
    const rows = (result.rows as Array<Array<string | null>>).map((row) =>
      row.map((text, i) => (text === null ? { tag: "db-null" } : v4Value(text, kinds[i]!))),
    );
    return { ok: { columns, rows } };
  } catch (error) {
    return failed(error, "bad-parameter");
  }
}

export async function postgres4Execute(args: SqlCallArgs): Promise<V4Result<bigint>> {
  try {
    const result = await gatherQuery(
      poolFor(args.address, args.caRoots),
      { text: args.statement, values: parameters(args) },
      false,
    );
    return { ok: BigInt(result.rowCount ?? 0) };
  } catch (error) {
    // Spin reports a parameter it cannot convert as value-conversion-failed here, bad-parameter in query.
    return failed(error, "value-conversion-failed");
  }
}
