import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm, repoRoot } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";

/** A guest granted SQLite reaches its own database file and nothing else on the host. */
describe("SQLite granted to a hostile guest", () => {
  const dir = mkdtempSync(join(tmpdir(), "wisp-sqlite-hostile-"));
  const outside = mkdtempSync(join(tmpdir(), "wisp-sqlite-outside-"));
  let wisp: WispProcess & { url: string };

  beforeAll(async () => {
    cpSync(join(repoRoot, "test/fixtures/apps/sqlite"), dir, { recursive: true });
    copyFileSync(fixtureWasm("http-sqlite"), join(dir, "sqlite.wasm"));
    wisp = await WispProcess.up(["--sqlite", "@migration.sql"], { cwd: dir });
  });
  afterAll(async () => {
    await wisp?.stop();
  });

  async function sql(statement: string, v3 = false, params: unknown[] = []) {
    const query = new URLSearchParams([...(v3 ? [["v", "3"]] : []), ...params.map((p) => ["p", JSON.stringify(p)])]);
    const response = await fetch(`${wisp.url}/db/?${query}`, { method: "POST", body: statement });
    return { status: response.status, body: await response.json() };
  }

  it.each([false, true])("cannot write a host file with VACUUM INTO, or attach one (spin:sqlite@3: %s)", async (v3) => {
    const target = join(outside, `vacuumed-${v3}.db`);
    const vacuum = await sql(`VACUUM INTO '${target}'`, v3);
    expect(vacuum.status).toBe(500);
    expect(JSON.stringify(vacuum.body)).toContain("ATTACH and VACUUM INTO of a file are not allowed");
    expect(existsSync(target)).toBe(false);
    const attached = join(outside, `attached-${v3}.db`);
    const attach = await sql(`ATTACH DATABASE '${attached}' AS elsewhere`, v3);
    expect(attach.status).toBe(500);
    expect(JSON.stringify(attach.body)).toContain("ATTACH and VACUUM INTO of a file are not allowed");
    expect(existsSync(attached)).toBe(false);
  });

  it("cannot attach a file named by a parameter or an expression, known only when the statement runs", async () => {
    const byParameter = join(outside, "by-parameter.db");
    const attached = await sql("ATTACH DATABASE ? AS elsewhere", false, [byParameter]);
    expect(attached.status).toBe(500);
    expect(JSON.stringify(attached.body)).toContain("a file computed when it runs");
    const byExpression = join(outside, "by-expression.db");
    expect((await sql(`ATTACH '${byExpression.slice(0, 5)}' || '${byExpression.slice(5)}' AS elsewhere`)).status).toBe(
      500,
    );
    expect((await sql("VACUUM INTO ?", true, [join(outside, "vacuum-parameter.db")])).status).toBe(500);
    expect(readdirSync(outside)).toEqual([]);
  });

  it("cannot point SQLite's temporary files at a host folder", async () => {
    const moved = await sql(`PRAGMA temp_store_directory = '${outside}'`);
    expect(moved.status).toBe(500);
    expect(JSON.stringify(moved.body)).toContain("PRAGMA temp_store_directory is not allowed");
  });

  it("cannot load an extension", async () => {
    const loaded = await sql("SELECT load_extension('/usr/lib/x86_64-linux-gnu/libc.so.6')");
    expect(loaded.status).toBe(500);
    expect(JSON.stringify(loaded.body)).toContain("load_extension is not allowed");
  });

  it.each([false, true])(
    "cannot gather a result larger than memory: a recursive query of 10 GB fails at 64 MiB (spin:sqlite@3: %s)",
    async (v3) => {
      const huge = await sql(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 100000) SELECT randomblob(100000) FROM n",
        v3,
      );
      expect(huge.status).toBe(500);
      expect(JSON.stringify(huge.body)).toContain("larger than 64 MiB");
      expect((await sql("SELECT count(*) FROM pets", v3)).status).toBe(200);
    },
  );

  it("still runs its own statements, a plain VACUUM included", async () => {
    expect((await sql("VACUUM")).status).toBe(200);
    expect((await sql("SELECT name FROM pets ORDER BY id")).body.rows).toEqual([["Rex"]]);
  });
});
