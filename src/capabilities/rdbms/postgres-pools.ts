import pg from "pg";
import { TEMPORAL_TYPES, temporalParameter, temporalValue } from "./postgres-v3-values.js";
import type { SqlCallArgs } from "./host-calls.js";
import { toDbValue, toDriverParameter, type RowSet } from "./rdbms-values.js";

/** One pool per address, shared by every worker and request. */
const pools = new Map<string, pg.Pool>();

export function poolFor(address: string): pg.Pool {
  let pool = pools.get(address);
  if (!pool) {
    pool = new pg.Pool({ connectionString: address, max: 10, connectionTimeoutMillis: 5_000 });
    // An idle client's error must not crash Wisp; the next query reports its own.
    pool.on("error", () => {});
    pools.set(address, pool);
  }
  return pool;
}

/** PostgreSQL type OIDs and the Spin column type each maps to. */
const TYPES: Record<number, string> = {
  16: "boolean",
  20: "int64",
  21: "int16",
  23: "int32",
  700: "floating32",
  701: "floating64",
  25: "str",
  1043: "str",
  1042: "str",
  19: "str",
  17: "binary",
  1700: "str",
  114: "str",
  3802: "str",
  1082: "str",
  1114: "str",
  1184: "str",
  2950: "str",
};

/** Keeps temporal columns as PostgreSQL's text, to be read into tuples (pg would make them Dates). */
const TEMPORAL_AS_TEXT = {
  getTypeParser: ((oid: number, format?: string) =>
    oid in TEMPORAL_TYPES
      ? (text: string) => text
      : (pg.types.getTypeParser(oid, format as "text") as (text: string) => unknown)) as typeof pg.types.getTypeParser,
};

const TEMPORAL_NAMES: ReadonlySet<string> = new Set(Object.values(TEMPORAL_TYPES));

function driverParameters({ params, temporalTuples }: SqlCallArgs): unknown[] {
  return params.map((p) => (temporalTuples ? temporalParameter(p) : undefined) ?? toDriverParameter(p));
}

export async function postgresQuery(args: SqlCallArgs): Promise<RowSet> {
  const { address, statement, temporalTuples } = args;
  const result = await poolFor(address).query({
    text: statement,
    values: driverParameters(args),
    rowMode: "array",
    ...(temporalTuples ? { types: TEMPORAL_AS_TEXT } : {}),
  });
  const columns = result.fields.map((field) => ({
    name: field.name,
    dataType: (temporalTuples ? TEMPORAL_TYPES[field.dataTypeID] : undefined) ?? TYPES[field.dataTypeID] ?? "other",
  }));
  const rows = (result.rows as unknown[][]).map((row) =>
    row.map((value, i) => {
      const { dataType } = columns[i]!;
      return temporalTuples && value !== null && TEMPORAL_NAMES.has(dataType)
        ? temporalValue(value as string, dataType)
        : toDbValue(value, dataType);
    }),
  );
  return { columns, rows };
}

export async function postgresExecute(args: SqlCallArgs): Promise<bigint> {
  const result = await poolFor(args.address).query({ text: args.statement, values: driverParameters(args) });
  return BigInt(result.rowCount ?? 0);
}

export async function closePostgresPools(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
  pools.clear();
}
