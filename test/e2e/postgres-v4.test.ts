import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/dist.js";
import { reachable } from "../support/services.js";
import { WispProcess } from "../support/wisp-process.js";

const ADDRESS = "postgres://postgres@127.0.0.1:5432/test";
const up = await reachable(5432);
if (!up) console.warn("skipping spin:postgres@4.0.0: nothing listens on 127.0.0.1:5432");

describe.skipIf(!up)("outbound postgres: spin:postgres/postgres@4.0.0 (Spin 3.4+, Rust SDK 5)", () => {
  let wisp: WispProcess & { url: string };
  const table = `wisp_${randomUUID().replaceAll("-", "").slice(0, 12)}`;

  beforeAll(async () => {
    wisp = await WispProcess.up(["-f", join(repoRoot, "test/fixtures/apps/rdbms")]);
  });
  afterAll(async () => {
    if (wisp) {
      await call("execute", `DROP TABLE IF EXISTS ${table}`);
      await wisp.stop();
    }
  });

  async function call(action: string, sql: string, params: unknown[] = [], route = "") {
    const response = await fetch(`${wisp.url}${route}/postgres4/${action}?address=${encodeURIComponent(ADDRESS)}`, {
      method: "POST",
      body: JSON.stringify({ sql, params }),
    });
    return { status: response.status, body: (await response.json()) as { result?: any; error?: any } };
  }

  it("binds and reads uuid, jsonb, decimal, ranges, arrays and intervals as 4.0.0's values", async () => {
    const created = await call(
      "execute",
      `CREATE TABLE ${table} (
      id INT, u UUID, j JSONB, d NUMERIC, r4 INT4RANGE, r8 INT8RANGE, rd NUMRANGE,
      a4 INT[], a8 BIGINT[], ad NUMERIC[], "as" TEXT[], iv INTERVAL, m MONEY)`,
    );
    expect(created.status).toBe(200);
    const uuid = randomUUID();
    const inserted = await call(
      "execute",
      `INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '12.50'), (2, NULL, NULL, NULL, 'empty', NULL, '(,)', NULL, NULL, NULL, NULL, NULL, NULL)`,
      [
        { tag: "int32", val: 1 },
        { tag: "uuid", val: uuid },
        { tag: "jsonb", val: '{"b": [1, 2], "a": "x"}' },
        { tag: "decimal", val: "123456789012345678901234.50" },
        {
          tag: "range-int32",
          val: [
            [1, "inclusive"],
            [5, "inclusive"],
          ],
        },
        { tag: "range-int64", val: [["9007199254740993", "exclusive"], null] },
        { tag: "range-decimal", val: [null, ["2.5", "inclusive"]] },
        { tag: "array-int32", val: [1, null, -3] },
        { tag: "array-int64", val: ["9007199254740993", null] },
        { tag: "array-decimal", val: ["1.10", null] },
        { tag: "array-str", val: ["a b", null, "NULL", 'quote"d'] },
        { tag: "interval", val: { micros: "-1000001", days: 3, months: -14 } },
      ],
    );
    expect(inserted).toEqual({ status: 200, body: { result: "2" } });

    const read = await call(
      "query",
      `SELECT id, u, j, d, r4, r8, rd, a4, a8, ad, "as", iv, m FROM ${table} ORDER BY id`,
    );
    expect(read.status).toBe(200);
    expect(read.body.result.columns).toEqual([
      { name: "id", dataType: { tag: "int32" } },
      { name: "u", dataType: { tag: "uuid" } },
      { name: "j", dataType: { tag: "jsonb" } },
      { name: "d", dataType: { tag: "decimal" } },
      { name: "r4", dataType: { tag: "range-int32" } },
      { name: "r8", dataType: { tag: "range-int64" } },
      { name: "rd", dataType: { tag: "range-decimal" } },
      { name: "a4", dataType: { tag: "array-int32" } },
      { name: "a8", dataType: { tag: "array-int64" } },
      { name: "ad", dataType: { tag: "array-decimal" } },
      { name: "as", dataType: { tag: "array-str" } },
      { name: "iv", dataType: { tag: "interval" } },
      // A type 4.0.0 has no case for: its PostgreSQL name.
      { name: "m", dataType: { tag: "other", val: "money" } },
    ]);
    const [first, second] = read.body.result.rows;
    expect(first).toEqual([
      { tag: "int32", val: 1 },
      { tag: "uuid", val: uuid },
      // Compact, keys as PostgreSQL's jsonb orders them.
      { tag: "jsonb", val: [...Buffer.from('{"a":"x","b":[1,2]}')] },
      { tag: "decimal", val: "123456789012345678901234.50" },
      // PostgreSQL keeps integer ranges canonical: [1,5] is [1,6).
      {
        tag: "range-int32",
        val: [
          [1, "inclusive"],
          [6, "exclusive"],
        ],
      },
      { tag: "range-int64", val: [["9007199254740994", "inclusive"], null] },
      { tag: "range-decimal", val: [null, ["2.5", "inclusive"]] },
      { tag: "array-int32", val: [1, null, -3] },
      { tag: "array-int64", val: ["9007199254740993", null] },
      { tag: "array-decimal", val: ["1.10", null] },
      { tag: "array-str", val: ["a b", null, "NULL", 'quote"d'] },
      { tag: "interval", val: { micros: "-1000001", days: 3, months: -14 } },
      { tag: "unsupported", val: [...Buffer.from("$12.50")] },
    ]);
    // An empty range and an unbounded one both have no bounds; NULL is db-null in every type.
    expect(second[4]).toEqual({ tag: "range-int32", val: [null, null] });
    expect(second[6]).toEqual({ tag: "range-decimal", val: [null, null] });
    expect(second.filter((_: unknown, i: number) => i !== 0 && i !== 4 && i !== 6)).toEqual(
      Array(10).fill({ tag: "db-null" }),
    );
  });

  it("keeps an interval of more than 2^53 microseconds exact", async () => {
    const read = await call("query", "SELECT $1::interval AS iv", [
      { tag: "interval", val: { micros: "9223372036854775807", days: 0, months: 0 } },
    ]);
    expect(read.body.result.rows[0]).toEqual([
      { tag: "interval", val: { micros: "9223372036854775807", days: 0, months: 0 } },
    ]);
  });

  it("hands PostgreSQL's structured error to the guest: code, severity, detail and the named extras", async () => {
    const missing = await call("query", "SELECT * FROM no_such_table_anywhere");
    expect(missing.status).toBe(500);
    expect(missing.body.error).toMatchObject({
      tag: "query-failed",
      val: {
        tag: "db-error",
        val: { severity: "ERROR", code: "42P01", message: 'relation "no_such_table_anywhere" does not exist' },
      },
    });
    expect(missing.body.error.val.val.asText).toContain("no_such_table_anywhere");

    const unique = `${table}_u`;
    await call("execute", `CREATE TABLE ${unique} (id INT CONSTRAINT ${unique}_pk PRIMARY KEY)`);
    try {
      await call("execute", `INSERT INTO ${unique} VALUES (1)`);
      const duplicate = await call("execute", `INSERT INTO ${unique} VALUES ($1)`, [{ tag: "int32", val: 1 }]);
      expect(duplicate.body.error.val.val).toMatchObject({ code: "23505", detail: "Key (id)=(1) already exists." });
      expect(duplicate.body.error.val.val.extras).toEqual(
        expect.arrayContaining([
          ["constraint", `${unique}_pk`],
          ["table", unique],
          ["schema", "public"],
        ]),
      );
    } finally {
      await call("execute", `DROP TABLE ${unique}`);
    }
  });

  it("refuses a value it cannot convert before it reaches PostgreSQL, as Spin does", async () => {
    const badDecimal = await call("query", "SELECT $1::numeric", [{ tag: "decimal", val: "12,5" }]);
    expect(badDecimal.body.error).toEqual({
      tag: "bad-parameter",
      val: expect.stringContaining('invalid decimal "12,5"'),
    });
    const badJson = await call("execute", "SELECT $1::jsonb", [{ tag: "jsonb", val: "{not json" }]);
    expect(badJson.body.error).toEqual({
      tag: "value-conversion-failed",
      val: expect.stringContaining("invalid JSON"),
    });
    expect((await call("query", "SELECT 1 AS one")).body.result.rows).toEqual([[{ tag: "int32", val: 1 }]]);
  });

  it("denies an address the component was not allowed, without reaching the server", async () => {
    const denied = await call("query", "SELECT 1", [], "/closed");
    expect(denied.status).toBe(500);
    expect(denied.body.error?.tag).toBe("connection-failed");
  });
});
