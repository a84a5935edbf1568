import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { describe, expect, test } from "vitest";
import { fixtureWasm, repoRoot } from "../support/dist.js";
import { closedPort, reachable } from "../support/services.js";
import { WispProcess } from "../support/wisp-process.js";

/**
 * Spin 4's interfaces (p3-spin.component.wat, calling them through the async ABI) against
 * backends that fail, and many guests awaiting main at once: each guest gets its interface's
 * error or its own answer, never another's, and the server goes on.
 */
const redisUp = await reachable(6379);
if (!redisUp) console.warn("skipping the concurrent Spin 4 Redis guests: no Redis on 127.0.0.1:6379");

function appCopy(runtimeConfig = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "wisp-spin4-hostile-"));
  cpSync(join(repoRoot, "test/fixtures/apps/spin4"), dir, { recursive: true });
  copyFileSync(fixtureWasm("p3-spin"), join(dir, "spin4.wasm"));
  copyFileSync(fixtureWasm("http-kv"), join(dir, "kv.wasm"));
  writeFileSync(join(dir, "runtime-config.toml"), runtimeConfig);
  return dir;
}

const headers = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => name.startsWith("x-")));

describe("Spin 4's interfaces against failing backends and crowds", () => {
  test("a key-value store whose Redis is down is the interface's `other`, with the driver's words, and the server goes on", async () => {
    const down = `redis://127.0.0.1:${await closedPort()}/0`;
    const wisp = await WispProcess.up(["--runtime-config-file", "runtime-config.toml"], {
      cwd: appCopy(`[key_value_store.default]\ntype = "redis"\nurl = "${down}"\n`),
    });
    try {
      const failed = await fetch(`${wisp.url}/granted/k/default`);
      expect(failed.status).toBe(200);
      const found = headers(failed);
      expect(found["x-error"]).toBe("3");
      expect(found["x-detail"]).toMatch(/retries|ECONNREFUSED|connect/i);
      expect(found["x-detail"]).not.toContain("[object Object]");
      // The same guest's other interfaces, and the next request, are unharmed.
      expect(headers(await fetch(`${wisp.url}/granted/v/message`))).toEqual({ "x-value": "hello from Spin 4" });
    } finally {
      await wisp.stop();
    }
  });

  test.skipIf(!redisUp)(
    "forty guests awaiting Redis at once on a worker each get their own answer (one increment each, none lost or crossed)",
    async () => {
      const redis = new Redis("redis://127.0.0.1:6379");
      await redis.del("wisp-spin4-count@localhost:6379");
      const wisp = await WispProcess.up(["--workers", "1"], { cwd: appCopy() });
      try {
        const answers = await Promise.all(
          Array.from({ length: 40 }, async () => headers(await fetch(`${wisp.url}/granted/r/localhost:6379`))),
        );
        // What each guest's incr answered: its own count, whatever the others did meanwhile.
        const values = answers.map((found) => Number(found["x-changes"])).sort((a, b) => a - b);
        expect(values).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(await redis.get("wisp-spin4-count@localhost:6379")).toBe("40");
      } finally {
        await wisp.stop();
        redis.disconnect();
      }
    },
  );

  test("an allowed database host that refuses connections is query-failed / connection-failed, not a crash", async () => {
    const port = await closedPort();
    const dir = appCopy();
    const manifest = join(dir, "spin.toml");
    writeFileSync(
      manifest,
      readFileSync(manifest, "utf8").replace(
        '"mysql://127.0.0.1:3306"]',
        `"mysql://127.0.0.1:3306", "postgres://127.0.0.1:${port}", "mysql://127.0.0.1:${port}"]`,
      ),
    );
    const wisp = await WispProcess.up([], { cwd: dir });
    try {
      const postgres = headers(await fetch(`${wisp.url}/granted/p/127.0.0.1:${port}`));
      expect(postgres["x-error"]).toBe("2");
      expect(postgres["x-detail"]).toMatch(/ECONNREFUSED|connect/i);
      const mysql = headers(await fetch(`${wisp.url}/granted/y/127.0.0.1:${port}`));
      expect(mysql["x-error"]).toMatch(/^[02]$/);
      expect(mysql["x-detail"]).toMatch(/ECONNREFUSED|connect/i);
      expect(headers(await fetch(`${wisp.url}/granted/v/message`))).toEqual({ "x-value": "hello from Spin 4" });
    } finally {
      await wisp.stop();
    }
  });
});
