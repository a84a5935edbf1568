import { createPool, type FieldPacket, type Pool } from "mysql2/promise";
import type { SqlCallArgs } from "./host-calls.js";
import { toDbValue, toDriverParameter, type RowSet } from "./rdbms-values.js";

/** One pool per address, shared by every worker and request. */
const pools = new Map<string, Pool>();

function poolFor(address: string): Pool {
  let pool = pools.get(address);
  if (!pool) {
    pool = createPool({
      uri: address,
      connectionLimit: 10,
      connectTimeout: 5_000,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
    });
    pools.set(address, pool);
  }
  return pool;
}

/** MySQL column type codes and the Spin column type each maps to (BLOBs are binary when their charset is binary). */
function dataType(field: FieldPacket): string {
  const unsigned = ((field.flags as number) & 32) !== 0;
  switch (field.columnType) {
    case 1:
      return unsigned ? "uint8" : "int8";
    case 2:
      return unsigned ? "uint16" : "int16";
    case 3:
    case 9:
      return unsigned ? "uint32" : "int32";
    case 8:
      return unsigned ? "uint64" : "int64";
    case 4:
      return "floating32";
    case 5:
      return "floating64";
    case 249:
    case 250:
    case 251:
    case 252:
    case 253:
    case 254:
      return field.characterSet === 63 ? "binary" : "str";
    case 0:
    case 246:
    case 7:
    case 10:
    case 11:
    case 12:
    case 245:
      return "str";
    default:
      return "other";
  }
}

export async function mysqlQuery({ address, statement, params }: SqlCallArgs): Promise<RowSet> {
  const [rows, fields] = await poolFor(address).query({
    sql: statement,
    rowsAsArray: true,
    values: params.map(toDriverParameter),
  });
  const columns = (fields ?? []).map((field) => ({ name: field.name, dataType: dataType(field) }));
  return {
    columns,
    rows: (rows as unknown[][]).map((row) => row.map((value, i) => toDbValue(value, columns[i]!.dataType))),
  };
}

export async function mysqlExecute({ address, statement, params }: SqlCallArgs): Promise<void> {
  await poolFor(address).query({ sql: statement, values: params.map(toDriverParameter) });
}

export async function closeMysqlPools(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
  pools.clear();
}
