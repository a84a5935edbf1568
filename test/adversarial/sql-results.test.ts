import { join } from "node:path";
import mysql from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/dist.js";
import { reachable } from "../support/services.js";
import { WispProcess } from "../support/wisp-process.js";

/** How many sessions of the database still run a statement containing `marker` (not this one). */
async function stillRunning(flavour: string, address: string, marker: string): Promise<number> {
  if (flavour === "postgres") {
    const client = new pg.Client(address);
    await client.connect();
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()",
      [`%${marker}%`],
    );
    await client.end();
    return (rows[0] as { n: number }).n;
  }
  const connection = await mysql.createConnection(address);
  const [rows] = await connection.query("SHOW FULL PROCESSLIST");
  await connection.end();
  return (rows as Array<{ Info: string | null }>).filter(
    (row) => row.Info?.includes(marker) && !row.Info.includes("PROCESSLIST"),
  ).length;
}

const DATABASES = [
  {
    flavour: "postgres",
    address: "postgres://postgres@127.0.0.1:5432/test",
    up: await reachable(5432),
    // 12,000 rows of 1 MB: 12 GB, which main gathered whole (and died of) before results had a budget.
    huge: "SELECT repeat('x', 1000000) FROM generate_series(1, 12000)",
    small: "SELECT repeat('x', 10) FROM generate_series(1, 3)",
  },
  {
    flavour: "mysql",
    address: "mysql://root@127.0.0.1:3306/test",
    up: await reachable(3306),
    huge: `SELECT REPEAT('x', 1000000) FROM ${Array.from({ length: 4 }, (_, i) => `(SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10) t${i}`).join(", ")}`,
    small: "SELECT REPEAT('x', 10) FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) t",
  },
];
for (const db of DATABASES)
  if (!db.up) console.warn(`skipping ${db.flavour}'s result budget: no ${db.flavour} on 127.0.0.1`);

/**
 * A guest asking its database for more than the host has memory: main gathers rows one by one
 * within 64 MiB, then closes that connection and fails the query with words that say what to do;
 * the server, its pool and the other queries go on.
 */
describe.each(DATABASES)(
  "a $flavour query whose result would not fit in memory",
  ({ flavour, address, up, huge, small }) => {
    let wisp: WispProcess & { url: string };
    beforeAll(async () => {
      if (up) wisp = await WispProcess.up(["-f", join(repoRoot, "test/fixtures/apps/rdbms")]);
    });
    afterAll(async () => {
      await wisp?.stop();
    });

    const query = async (sql: string) => {
      const response = await fetch(`${wisp.url}/${flavour}/query?address=${encodeURIComponent(address)}`, {
        method: "POST",
        body: JSON.stringify({ sql, params: [] }),
      });
      return (await response.json()) as { result?: { rows: unknown[] }; error?: { tag: string; val?: string } };
    };

    it.skipIf(!up)(
      "fails with the budget named, and the server and its pool serve on",
      { timeout: 60_000 },
      async () => {
        const [first, second] = await Promise.all([query(huge), query(huge)]);
        for (const failed of [first, second]) {
          expect(failed.error?.tag).toBe("query-failed");
          expect(failed.error?.val).toContain("larger than 64 MiB");
        }
        expect(wisp.child.exitCode).toBeNull();
        // Its connections were closed, not half-closed: the database stops sending (and main parsing) the rest.
        for (const until = Date.now() + 15_000; (await stillRunning(flavour, address, "1000000")) > 0;) {
          expect(Date.now(), "the database still sends the refused result").toBeLessThan(until);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        const after = await query(small);
        expect(after.error).toBeUndefined();
        expect(after.result?.rows).toHaveLength(3);
      },
    );
  },
);
