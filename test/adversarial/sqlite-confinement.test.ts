import { copyFileSync, cpSync, existsSync, mkdtempSync } from "node:fs";
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

  async function sql(statement: string, v3 = false) {
    const response = await fetch(`${wisp.url}/db/${v3 ? "?v=3" : ""}`, { method: "POST", body: statement });
    return { status: response.status, body: await response.json() };
  }

  it.each([false, true])("cannot write a host file with VACUUM INTO, or attach one (spin:sqlite@3: %s)", async (v3) => {
    const target = join(outside, `vacuumed-${v3}.db`);
    const vacuum = await sql(`VACUUM INTO '${target}'`, v3);
    expect(vacuum.status).toBe(500);
    expect(JSON.stringify(vacuum.body)).toContain("VACUUM INTO is not allowed");
    expect(existsSync(target)).toBe(false);
    const attached = join(outside, `attached-${v3}.db`);
    const attach = await sql(`ATTACH DATABASE '${attached}' AS elsewhere`, v3);
    expect(attach.status).toBe(500);
    expect(JSON.stringify(attach.body)).toContain("ATTACH and DETACH are not allowed");
    expect(existsSync(attached)).toBe(false);
  });

  it("cannot load an extension", async () => {
    const loaded = await sql("SELECT load_extension('/usr/lib/x86_64-linux-gnu/libc.so.6')");
    expect(loaded.status).toBe(500);
  });

  it("still runs its own statements, a plain VACUUM included", async () => {
    expect((await sql("VACUUM")).status).toBe(200);
    expect((await sql("SELECT name FROM pets ORDER BY id")).body.rows).toEqual([["Rex"]]);
  });
});
