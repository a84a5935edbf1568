import { copyFileSync, cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sharedComponentCache } from "../support/shared-cache.js";
import { fixtureWasm, repoRoot } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";

/** The file's apps translate their components once (see sharedComponentCache). */
const useSharedCache = sharedComponentCache();

function appCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "wisp-sqlite-"));
  cpSync(join(repoRoot, "test/fixtures/apps/sqlite"), dir, { recursive: true });
  copyFileSync(fixtureWasm("http-sqlite"), join(dir, "sqlite.wasm"));
  useSharedCache(dir);
  return dir;
}

async function sql(url: string, statement: string, params: unknown[] = [], route = "/db/") {
  const query = params.map((p) => `p=${encodeURIComponent(JSON.stringify(p))}`).join("&");
  const response = await fetch(`${url}${route}${route.includes("?") ? "&" : "?"}${query}`, {
    method: "POST",
    body: statement,
  });
  return { status: response.status, body: await response.json() };
}

describe("SQLite: fermyon:spin/sqlite and spin:sqlite on the app's databases", () => {
  it("runs --sqlite migrations before serving, then statements with parameters, types intact", async () => {
    const dir = appCopy();
    const wisp = await WispProcess.up(
      ["--sqlite", "@migration.sql", "--sqlite", "INSERT INTO pets (name) VALUES ('Tom')"],
      { cwd: dir },
    );
    try {
      expect((await sql(wisp.url, "SELECT name, weight FROM pets ORDER BY id")).body).toEqual({
        columns: ["name", "weight"],
        rows: [
          ["Rex", 4.5],
          ["Tom", null],
        ],
      });
      expect((await sql(wisp.url, "INSERT INTO pets (name, weight) VALUES (?, ?)", ["Kit", 2])).status).toBe(200);
      expect((await sql(wisp.url, "SELECT id, name FROM pets WHERE weight = ?", [2])).body).toEqual({
        columns: ["id", "name"],
        rows: [[3, "Kit"]],
      });
      const broken = await sql(wisp.url, "SELECT nope FROM pets");
      expect(broken.status).toBe(500);
      expect(broken.body.error.tag).toBe("io");
    } finally {
      await wisp.stop();
    }
    // The data stays in the app's default database across restarts.
    const again = await WispProcess.up([], { cwd: dir });
    try {
      expect((await sql(again.url, "SELECT count(*) AS n FROM pets")).body.rows).toEqual([[3]]);
    } finally {
      await again.stop();
    }
  });

  it("serves spin:sqlite@3.0.0 on the same database, with each connection's changes and last insert rowid", async () => {
    const dir = appCopy();
    const wisp = await WispProcess.up(["--sqlite", "@migration.sql"], { cwd: dir });
    try {
      const v3 = "/db/?v=3";
      // A fresh connection has inserted nothing, whatever other requests did on the shared file.
      expect((await sql(wisp.url, "SELECT name FROM pets", [], v3)).body).toEqual({
        columns: ["name"],
        rows: [["Rex"]],
        changes: 0,
        lastInsertRowid: 0,
      });
      expect((await sql(wisp.url, "INSERT INTO pets (name) VALUES (?)", ["Kit"], v3)).body).toMatchObject({
        changes: 1,
        lastInsertRowid: 2,
      });
      expect((await sql(wisp.url, "INSERT INTO pets (name) VALUES ('A'), ('B') RETURNING id", [], v3)).body).toEqual({
        columns: ["id"],
        rows: [[3], [4]],
        changes: 2,
        lastInsertRowid: 4,
      });
      expect((await sql(wisp.url, "UPDATE pets SET weight = 1 WHERE id > ?", [1], v3)).body).toMatchObject({
        changes: 3,
        lastInsertRowid: 0,
      });
      // fermyon:spin/sqlite@2.0.0 reads what spin:sqlite@3.0.0 wrote.
      expect((await sql(wisp.url, "SELECT count(*) FROM pets WHERE weight = 1")).body.rows).toEqual([[3]]);
      expect((await sql(wisp.url, "SELECT 1", [], "/nodb/?v=3")).body).toEqual({ error: { tag: "access-denied" } });
    } finally {
      await wisp.stop();
    }
  });

  it("denies a database the component was not granted: access-denied, not a crash", async () => {
    const wisp = await WispProcess.up([], { cwd: appCopy() });
    try {
      const denied = await sql(wisp.url, "SELECT 1", [], "/nodb/");
      expect(denied).toEqual({ status: 500, body: { error: { tag: "access-denied" } } });
      expect((await sql(wisp.url, "SELECT 1 AS one", [], "/db/?db=elsewhere")).body).toEqual({
        error: { tag: "access-denied" },
      });
      expect((await sql(wisp.url, "SELECT 1 AS one")).body).toEqual({ columns: ["one"], rows: [[1]] });
    } finally {
      await wisp.stop();
    }
  });
});
