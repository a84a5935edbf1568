import pg from "pg";
import { toDbValue, toDriverParameter, type ParameterValue, type RowSet } from "./rdbms-values.js";

export interface SqlCallArgs {
  address: string;
  statement: string;
  params: ParameterValue[];
}

/** One pool per address, shared by every worker and request. */
const pools = new Map<string, pg.Pool>();

function poolFor(address: string): pg.Pool {
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
  16: "boolean", 20: "int64", 21: "int16", 23: "int32", 700: "floating32", 701: "floating64",
  25: "str", 1043: "str", 1042: "str", 19: "str", 17: "binary", 1700: "str", 114: "str", 3802: "str",
  1082: "str", 1114: "str", 1184: "str", 2950: "str",
};

export async function postgresQuery({ address, statement, params }: SqlCallArgs): Promise<RowSet> {
  const result = await poolFor(address).query({ text: statement, values: params.map(toDriverParameter), rowMode: "array" });
  const columns = result.fields.map((field) => ({ name: field.name, dataType: TYPES[field.dataTypeID] ?? "other" }));
  const rows = (result.rows as unknown[][]).map((row) => row.map((value, i) => toDbValue(value, columns[i]!.dataType)));
  return { columns, rows };
}

export async function postgresExecute({ address, statement, params }: SqlCallArgs): Promise<bigint> {
  const result = await poolFor(address).query({ text: statement, values: params.map(toDriverParameter) });
  return BigInt(result.rowCount ?? 0);
}

export async function closePostgresPools(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
  pools.clear();
}
