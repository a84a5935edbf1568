import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/dist.js";
import { reachable } from "../support/services.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

const DATABASES = [
  { flavour: "postgres", port: 5432, address: "postgres://postgres@127.0.0.1:5432/test", up: await reachable(5432) },
  { flavour: "mysql", port: 3306, address: "mysql://root@127.0.0.1:3306/test", up: await reachable(3306) },
];
for (const db of DATABASES)
  if (!db.up) console.warn(`skipping outbound ${db.flavour}: nothing listens on 127.0.0.1:${db.port}`);

describe.each(DATABASES)(
  "outbound $flavour: fermyon:spin/$flavour through a pool per address",
  ({ flavour, address, up }) => {
    let wisp: WispProcess & { url: string };
    const table = `wisp_${randomUUID().replaceAll("-", "").slice(0, 12)}`;

    beforeAll(async () => {
      if (up) wisp = await WispProcess.up(["-f", join(repoRoot, "test/fixtures/apps/rdbms")]);
    });
    afterAll(async () => {
      if (wisp) {
        await call("execute", `DROP TABLE IF EXISTS ${table}`);
        await wisp.stop();
      }
    });

    async function call(action: string, sql: string, params: unknown[] = [], route = "") {
      const response = await fetch(`${wisp.url}${route}/${flavour}/${action}?address=${encodeURIComponent(address)}`, {
        method: "POST",
        body: JSON.stringify({ sql, params }),
      });
      return {
        status: response.status,
        body: (await response.json()) as { result?: any; error?: { tag: string; val?: string } },
      };
    }

    it.skipIf(!up)("creates, inserts with typed parameters, and reads typed columns back", async () => {
      const create =
        flavour === "postgres"
          ? `CREATE TABLE ${table} (id INTEGER PRIMARY KEY, big BIGINT, ratio DOUBLE PRECISION, name TEXT, data BYTEA, flag BOOLEAN)`
          : `CREATE TABLE ${table} (id INT PRIMARY KEY, big BIGINT, ratio DOUBLE, name TEXT, data BLOB, flag TINYINT)`;
      expect((await call("execute", create)).status).toBe(200);
      const insert =
        flavour === "postgres"
          ? `INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5, $6), ($7, NULL, NULL, NULL, NULL, NULL)`
          : `INSERT INTO ${table} VALUES (?, ?, ?, ?, ?, ?), (?, NULL, NULL, NULL, NULL, NULL)`;
      const params = [
        { tag: "int32", val: 1 },
        { tag: "int64", val: "9007199254740993" },
        { tag: "floating64", val: 2.5 },
        { tag: "str", val: "héllo" },
        { tag: "binary", val: [0, 255, 7] },
        flavour === "postgres" ? { tag: "boolean", val: true } : { tag: "int8", val: 1 },
        { tag: "int32", val: 2 },
      ];
      const inserted = await call("execute", insert, params);
      expect(inserted.status).toBe(200);
      if (flavour === "postgres") expect(inserted.body.result).toBe("2");
      const read = await call("query", `SELECT id, big, ratio, name, data, flag FROM ${table} ORDER BY id`);
      expect(read.status).toBe(200);
      expect(read.body.result.columns.map((c: { name: string }) => c.name)).toEqual([
        "id",
        "big",
        "ratio",
        "name",
        "data",
        "flag",
      ]);
      expect(read.body.result.rows[0]).toEqual([
        { tag: "int32", val: 1 },
        { tag: "int64", val: "9007199254740993" },
        { tag: "floating64", val: 2.5 },
        { tag: "str", val: "héllo" },
        { tag: "binary", val: [0, 255, 7] },
        flavour === "postgres" ? { tag: "boolean", val: true } : { tag: "int8", val: 1 },
      ]);
      expect(read.body.result.rows[1].slice(1)).toEqual(Array(5).fill({ tag: "db-null" }));
    });

    it.skipIf(!up)("reports a failing statement as the interface's error, and serves on", async () => {
      const failed = await call("query", "SELECT * FROM no_such_table_anywhere");
      expect(failed.status).toBe(500);
      expect(failed.body.error?.tag).toBe("query-failed");
      expect((await call("query", "SELECT 1 AS one")).status).toBe(200);
    });

    it.skipIf(!up)("denies an address the component was not allowed, with a log line", async () => {
      const denied = await call("query", "SELECT 1", [], "/closed");
      expect(denied.status).toBe(500);
      expect(denied.body.error?.tag).toBe("connection-failed");
      await waitFor(() =>
        wisp.stderr.includes(
          `[closed] wisp: denied a ${flavour === "postgres" ? "PostgreSQL" : "MySQL"} connection to 127.0.0.1:${flavour === "postgres" ? 5432 : 3306}`,
        ),
      );
    });
  },
);

const POSTGRES = DATABASES[0]!;

describe("outbound postgres: spin:postgres/postgres@3.0.0 (Spin's JavaScript SDK 3), dates and times as tuples", () => {
  let wisp: WispProcess & { url: string };
  const table = `wisp_${randomUUID().replaceAll("-", "").slice(0, 12)}`;

  beforeAll(async () => {
    if (POSTGRES.up) wisp = await WispProcess.up(["-f", join(repoRoot, "test/fixtures/apps/rdbms")]);
  });
  afterAll(async () => {
    if (wisp) {
      await call("execute", `DROP TABLE IF EXISTS ${table}`);
      await wisp.stop();
    }
  });

  async function call(action: string, sql: string, params: unknown[] = [], route = "") {
    const response = await fetch(
      `${wisp.url}${route}/postgres3/${action}?address=${encodeURIComponent(POSTGRES.address)}`,
      {
        method: "POST",
        body: JSON.stringify({ sql, params }),
      },
    );
    return {
      status: response.status,
      body: (await response.json()) as { result?: any; error?: { tag: string; val?: string } },
    };
  }

  it.skipIf(!POSTGRES.up)(
    "binds and reads date, time, timestamp and timestamptz as Spin 3's tuples; execute counts rows",
    async () => {
      expect(
        (
          await call(
            "execute",
            `CREATE TABLE ${table} (id INT, day DATE, at TIME, stamp TIMESTAMP, zoned TIMESTAMPTZ, name TEXT)`,
          )
        ).status,
      ).toBe(200);
      const inserted = await call(
        "execute",
        `INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5, $6), (2, NULL, NULL, NULL, NULL, NULL)`,
        [
          { tag: "int32", val: 1 },
          { tag: "date", val: [2024, 2, 29] },
          { tag: "time", val: [13, 45, 10, 250_000_000] },
          { tag: "datetime", val: [1999, 12, 31, 23, 59, 58, 123_456_000] },
          { tag: "timestamp", val: "1700000000" },
          { tag: "str", val: "leap" },
        ],
      );
      expect(inserted).toEqual({ status: 200, body: { result: "2" } });
      const read = await call("query", `SELECT id, day, at, stamp, zoned, name FROM ${table} ORDER BY id`);
      expect(read.status).toBe(200);
      expect(read.body.result.columns).toEqual([
        { name: "id", dataType: "int32" },
        { name: "day", dataType: "date" },
        { name: "at", dataType: "time" },
        { name: "stamp", dataType: "datetime" },
        { name: "zoned", dataType: "datetime" },
        { name: "name", dataType: "str" },
      ]);
      expect(read.body.result.rows[0]).toEqual([
        { tag: "int32", val: 1 },
        { tag: "date", val: [2024, 2, 29] },
        { tag: "time", val: [13, 45, 10, 250_000_000] },
        { tag: "datetime", val: [1999, 12, 31, 23, 59, 58, 123_456_000] },
        // 1700000000 s after the epoch is 2023-11-14 22:13:20 UTC.
        { tag: "datetime", val: [2023, 11, 14, 22, 13, 20, 0] },
        { tag: "str", val: "leap" },
      ]);
      expect(read.body.result.rows[1].slice(1)).toEqual(Array(5).fill({ tag: "db-null" }));
    },
  );

  it.skipIf(!POSTGRES.up)(
    "reports a failing statement as spin:postgres's query-failed, and denies an address not allowed",
    async () => {
      const failed = await call("query", "SELECT * FROM no_such_table_anywhere");
      expect(failed.status).toBe(500);
      expect(failed.body.error?.tag).toBe("query-failed");
      const denied = await call("query", "SELECT 1", [], "/closed");
      expect(denied.status).toBe(500);
      expect(denied.body.error?.tag).toBe("connection-failed");
    },
  );
});
