import { rootCertificates } from "node:tls";
import pg from "pg";
import { TEMPORAL_TYPES, temporalParameter, temporalValue } from "./postgres-v3-values.js";
import type { SqlCallArgs } from "./host-calls.js";
import { toDbValue, toDriverParameter, type RowSet } from "./rdbms-values.js";
import { ResultTooLarge, RowBudget } from "../result-budget.js";

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

/** What a query gave: its columns, its rows (array mode), and how many rows it affected. */
export interface GatheredResult {
  fields: pg.FieldDef[];
  rows: unknown[][];
  rowCount: number | null;
}

/**
 * Runs a query on a client of its own, gathering its rows one by one within a RowBudget: past it,
 * the client's connection is closed (the server stops sending) and the query fails with
 * ResultTooLarge, where pool.query would have gathered them all. `keepRows: false` (an execute)
 * keeps none, so needs no budget.
 */
export async function gatherQuery(pool: pg.Pool, config: pg.QueryConfig, keepRows = true): Promise<GatheredResult> {
  const client = await pool.connect();
  return new Promise((resolve, reject) => {
    // pg's types leave rowMode out of a Query's config, which its Query reads (rows as arrays).
    const arrays: pg.QueryArrayConfig = { ...config, rowMode: "array" };
    const query = new pg.Query<unknown[]>(arrays as pg.QueryConfig);
    const rows: unknown[][] = [];
    const budget = new RowBudget();
    let settled = false;
    const settle = (outcome: () => void, broken?: Error) => {
      if (settled) return;
      settled = true;
      // A client released with an error is closed, not pooled: the rest of the result goes with it.
      client.release(broken);
      outcome();
    };
    query.on("row", (row) => {
      if (settled || !keepRows) return;
      if (budget.take(row)) rows.push(row);
      else {
        const error = new ResultTooLarge();
        settle(() => reject(error), error);
      }
    });
    query.on("end", (ended) => {
      // Several statements in one text end with each one's result; the last is the answer.
      const result = Array.isArray(ended) ? (ended.at(-1) as typeof ended) : ended;
      settle(() => resolve({ fields: result.fields, rows, rowCount: result.rowCount }));
    });
    query.on("error", (error) => settle(() => reject(error)));
    client.query(query);
  });
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
  const result = await gatherQuery(poolFor(address, args.caRoots), {
    text: statement,
    values: driverParameters(args),
    ...(temporalTuples ? { types: TEMPORAL_AS_TEXT } : {}),
  });
  const columns = result.fields.map((field) => ({
    name: field.name,
    dataType: (temporalTuples ? TEMPORAL_TYPES[field.dataTypeID] : undefined) ?? TYPES[field.dataTypeID] ?? "other",
  }));
  const rows = result.rows.map((row) =>
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
  const result = await gatherQuery(
    poolFor(args.address, args.caRoots),
    { text: args.statement, values: driverParameters(args) },
    false,
  );
  return BigInt(result.rowCount ?? 0);
}

export async function closePostgresPools(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
  pools.clear();
}
