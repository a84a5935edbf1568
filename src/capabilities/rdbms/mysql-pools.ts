import type { Connection as CallbackConnection } from "mysql2";
import { createPool, type FieldPacket, type Pool } from "mysql2/promise";
import type { SqlCallArgs } from "./host-calls.js";
import { toDbValue, toDriverParameter, type RowSet } from "./rdbms-values.js";
import { ResultTooLarge, RowBudget } from "../result-budget.js";

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

/**
 * Runs a query on a connection of its own, gathering its rows one by one within a RowBudget:
 * past it the connection is closed (the server stops sending) and the query fails with
 * ResultTooLarge, where the pool's query would have gathered them all.
 */
async function gatherRows(
  address: string,
  statement: string,
  values: unknown[],
): Promise<[unknown[][], FieldPacket[]]> {
  const connection = await poolFor(address).getConnection();
  // The callback API underneath the promise one: its query emits each row as it arrives.
  const core = connection.connection as unknown as CallbackConnection & { stream: { destroy(): void } };
  return new Promise((resolve, reject) => {
    const rows: unknown[][] = [];
    let fields: FieldPacket[] = [];
    const budget = new RowBudget();
    let settled = false;
    const settle = (outcome: () => void, broken = false) => {
      if (settled) return;
      settled = true;
      if (broken) {
        connection.destroy();
        // mysql2's destroy only half-closes: the server would go on sending, and main on parsing, the rest.
        core.stream.destroy();
      } else connection.release();
      outcome();
    };
    core
      .query({ sql: statement, rowsAsArray: true, values })
      .on("fields", (received: FieldPacket[]) => (fields = received))
      .on("result", (row: unknown) => {
        if (settled) return;
        // A statement that is no query (an INSERT through query) ends with its OK packet here.
        if (!Array.isArray(row)) return;
        if (budget.take(row)) rows.push(row);
        else settle(() => reject(new ResultTooLarge()), true);
      })
      .on("error", (error: Error) => settle(() => reject(error)))
      .on("end", () => settle(() => resolve([rows, fields])));
  });
}

export async function mysqlQuery({ address, statement, params }: SqlCallArgs): Promise<RowSet> {
  const [rows, fields] = await gatherRows(address, statement, params.map(toDriverParameter));
  const columns = fields.map((field) => ({ name: field.name, dataType: dataType(field) }));
  return {
    columns,
    rows: rows.map((row) => row.map((value, i) => toDbValue(value, columns[i]!.dataType))),
  };
}

export async function mysqlExecute({ address, statement, params }: SqlCallArgs): Promise<void> {
  await poolFor(address).query({ sql: statement, values: params.map(toDriverParameter) });
}

export async function closeMysqlPools(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
  pools.clear();
}
