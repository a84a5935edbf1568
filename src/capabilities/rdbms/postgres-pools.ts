import { rootCertificates } from "node:tls";
import pg from "pg";
import { TEMPORAL_TYPES, temporalParameter, temporalValue } from "./postgres-v3-values.js";
import type { SqlCallArgs } from "./host-calls.js";
import { toDbValue, toDriverParameter, type RowSet } from "./rdbms-values.js";

/** One pool per address (and CA roots), shared by every worker and request. */
const pools = new Map<string, pg.Pool>();

export function poolFor(address: string, caRoots?: readonly string[]): pg.Pool {
  const key = [address, ...(caRoots ?? [])].join("\u0000");
  let pool = pools.get(key);
  if (!pool) {
    pool = new pg.Pool(poolConfig(address, caRoots));
    // An idle client's error must not crash Wisp; the next query reports its own.
    pool.on("error", () => {});
    pools.set(key, pool);
  }
  return pool;
}

/** TLS modes that encrypt: the address's `sslmode` (`ssl=true` is `require`), as libpq reads it. */
const TLS_MODES = new Set(["require", "verify-ca", "verify-full", "prefer", "allow"]);

/**
 * pg's options for an address. With a builder's CA roots, the address's own TLS settings are
 * taken out of it (pg would let them replace its `ssl` option) and its TLS, if it asks for TLS,
 * verifies the server against those roots beside the system's.
 */
export function poolConfig(address: string, caRoots?: readonly string[]): pg.PoolConfig {
  const base = { max: 10, connectionTimeoutMillis: 5_000 };
  if (!caRoots?.length) return { ...base, connectionString: address };
  const url = new URL(address);
  const mode = url.searchParams.get("sslmode") ?? (url.searchParams.get("ssl") === "true" ? "require" : "disable");
  url.searchParams.delete("sslmode");
  url.searchParams.delete("ssl");
  return {
    ...base,
    connectionString: url.href,
    ssl: TLS_MODES.has(mode) ? { ca: [...rootCertificates, ...caRoots] } : false,
  };
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
  const result = await poolFor(address, args.caRoots).query({
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
  const result = await poolFor(args.address, args.caRoots).query({
    text: args.statement,
    values: driverParameters(args),
  });
  return BigInt(result.rowCount ?? 0);
}

export async function closePostgresPools(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
  pools.clear();
}
