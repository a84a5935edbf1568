import { cpSync, copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { Redis } from "ioredis";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { sharedComponentCache } from "../support/shared-cache.js";
import { fixtureWasm, repoRoot } from "../support/dist.js";
import { closedPort, reachable } from "../support/services.js";
import { runWisp, WispProcess } from "../support/wisp-process.js";

/** The file's apps translate their components once (see sharedComponentCache). */
const useSharedCache = sharedComponentCache();

/** Redis databases this suite owns (emptied before each test): 7 for `default`, 8 for `other`. */
const REDIS = "redis://127.0.0.1:6379";
const redisUp = await reachable(6379);
if (!redisUp) console.warn("skipping the Redis key-value backend: no Redis on 127.0.0.1:6379");

const BACKENDS = [
  {
    name: 'SQLite (type = "spin")',
    config: '[key_value_store.other]\ntype = "spin"\npath = "other-store.db"\n',
    skip: false,
  },
  {
    name: 'Redis (type = "redis")',
    config: `[key_value_store.default]\ntype = "redis"\nurl = "${REDIS}/7"\n[key_value_store.other]\ntype = "redis"\nurl = "${REDIS}/8"\n`,
    skip: !redisUp,
  },
];

describe.each(BACKENDS)("key-value: fermyon:spin/key-value and wasi:keyvalue on $name", ({ config, skip }) => {
  /** The key-value app in a folder of its own, with this backend's runtime config. */
  async function appCopy(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), "wisp-kv-"));
    cpSync(join(repoRoot, "test/fixtures/apps/kv"), dir, { recursive: true });
    copyFileSync(fixtureWasm("http-kv"), join(dir, "kv.wasm"));
    copyFileSync(fixtureWasm("http-wasi-kv"), join(dir, "wasi-kv.wasm"));
    useSharedCache(dir);
    writeFileSync(join(dir, "runtime-config.toml"), config);
    if (!skip && config.includes("redis")) {
      for (const db of [7, 8]) {
        const client = new Redis(`${REDIS}/${db}`);
        await client.flushdb();
        client.disconnect();
      }
    }
    return dir;
  }

  const up = (dir: string, args: string[] = []) =>
    WispProcess.up(["--runtime-config-file", "runtime-config.toml", ...args], { cwd: dir });
  const it = skip ? test.skip : test;

  it("sets, gets, lists, checks and deletes keys, bytes intact, each store apart", async () => {
    const wisp = await up(await appCopy());
    try {
      const kv = (path: string, init?: RequestInit) => fetch(`${wisp.url}/kv${path}`, init);
      const bytes = new Uint8Array([0, 1, 2, 254, 255, 10, 13]);
      expect(await (await kv("/?key=bin", { method: "PUT", body: bytes })).text()).toBe("stored\n");
      expect(new Uint8Array(await (await kv("/?key=bin")).arrayBuffer())).toEqual(bytes);
      await kv("/?key=text", { method: "PUT", body: "hello" });
      if (config.includes("redis")) {
        // The value is in Redis itself, where other replicas see it.
        const client = new Redis(`${REDIS}/7`);
        expect(await client.get("text")).toBe("hello");
        client.disconnect();
      }
      expect(await (await kv("/keys")).json()).toEqual(["bin", "text"]);
      expect(await (await kv("/exists?key=text")).json()).toBe(true);
      await kv("/?store=other&key=elsewhere", { method: "PUT", body: "o" });
      expect(await (await kv("/keys?store=other")).json()).toEqual(["elsewhere"]);
      expect(await (await kv("/exists?key=elsewhere")).json()).toBe(false);
      await kv("/?key=text", { method: "DELETE" });
      expect((await kv("/?key=text")).status).toBe(404);
      expect(await (await kv("/exists?key=text")).json()).toBe(false);
    } finally {
      await wisp.stop();
    }
  });

  it("denies a store the component was not granted: the interface's access-denied, not a crash", async () => {
    const wisp = await up(await appCopy());
    try {
      const denied = await fetch(`${wisp.url}/nokv/?key=x`);
      expect(denied.status).toBe(500);
      expect(await denied.json()).toEqual({ error: { tag: "access-denied" } });
      expect(await (await fetch(`${wisp.url}/kv/?store=never-granted&key=x`)).json()).toEqual({
        error: { tag: "access-denied" },
      });
      expect((await fetch(`${wisp.url}/kv/?key=x`, { method: "PUT", body: "still serving" })).status).toBe(200);
    } finally {
      await wisp.stop();
    }
  });

  it("serves wasi:keyvalue over the same stores: Spin's key-value sees what wasi:keyvalue wrote", async () => {
    const wisp = await up(await appCopy());
    try {
      const wkv = (path: string, init?: RequestInit) => fetch(`${wisp.url}/wkv${path}`, init);
      expect(await (await wkv("/?key=shared", { method: "PUT", body: "from wasi" })).text()).toBe("stored\n");
      expect(await (await fetch(`${wisp.url}/kv/?key=shared`)).text()).toBe("from wasi");
      await fetch(`${wisp.url}/kv/?key=spin`, { method: "PUT", body: "from spin" });
      expect(await (await wkv("/?key=spin")).text()).toBe("from spin");
      expect(await (await wkv("/keys")).json()).toEqual({ keys: ["shared", "spin"] });
      expect(await (await wkv("/exists?key=spin")).json()).toBe(true);
      await wkv("/?key=spin", { method: "DELETE" });
      expect((await wkv("/?key=spin")).status).toBe(404);
      expect(await (await wkv("/keys?store=other")).json()).toEqual({ keys: [] });

      // batch
      await wkv("/set-many", { method: "POST", body: JSON.stringify({ a: "1", b: "2", c: "3" }) });
      expect(await (await wkv("/get-many?key=a&key=c&key=missing")).json()).toEqual([
        ["a", "1"],
        ["c", "3"],
        ["missing", null],
      ]);
      await wkv("/delete-many?key=a&key=b", { method: "POST" });
      expect(await (await wkv("/get-many?key=a&key=b&key=c")).json()).toEqual([
        ["a", null],
        ["b", null],
        ["c", "3"],
      ]);

      // atomics: increments from many concurrent requests all count
      expect(await (await wkv("/incr?key=hits&delta=5", { method: "POST" })).json()).toBe("5");
      await Promise.all(Array.from({ length: 20 }, () => wkv("/incr?key=hits", { method: "POST" })));
      // (Negative deltas are covered by the unit test: componentize-js traps lowering a negative
      // s64 argument, ComponentizeJS#343, before the host is reached.)
      expect(await (await wkv("/incr?key=hits&delta=0", { method: "POST" })).json()).toBe("25");

      // compare-and-swap: succeeds when nothing changed; fails, handing back the winner, when it did
      expect(await (await wkv("/cas?key=owner", { method: "POST", body: "first" })).json()).toEqual({
        swapped: true,
        before: null,
      });
      expect(await (await wkv("/cas?key=owner", { method: "POST", body: "second" })).json()).toEqual({
        swapped: true,
        before: "first",
      });
      const lost = await wkv("/cas?key=owner&meddle=intruder", { method: "POST", body: "third" });
      expect(lost.status).toBe(409);
      expect(await lost.json()).toEqual({ swapped: false, before: "second", now: "intruder" });
      expect(await (await wkv("/?key=owner")).text()).toBe("intruder");
    } finally {
      await wisp.stop();
    }
  });

  it("denies wasi:keyvalue a store the component was not granted: access-denied, not a crash", async () => {
    const wisp = await up(await appCopy());
    try {
      const denied = await fetch(`${wisp.url}/nowkv/?key=x`);
      expect(denied.status).toBe(500);
      expect(await denied.json()).toEqual({ error: { tag: "access-denied" } });
      expect(await (await fetch(`${wisp.url}/wkv/?store=never-granted&key=x`)).json()).toEqual({
        error: { tag: "access-denied" },
      });
      expect(await (await fetch(`${wisp.url}/nowkv/incr?key=x`, { method: "POST" })).json()).toEqual({
        error: { tag: "access-denied" },
      });
      expect((await fetch(`${wisp.url}/wkv/?key=x`, { method: "PUT", body: "still serving" })).status).toBe(200);
    } finally {
      await wisp.stop();
    }
  });

  it("refuses at start a granted store that no runtime config defines", async () => {
    const result = await runWisp(["up", "--listen", "127.0.0.1:0"], { cwd: await appCopy() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error[GRANT_INVALID]");
    expect(result.stderr).toContain('key-value store "other"');
    expect(result.stderr).toContain("[key_value_store.other]");
  });

  it("keeps what a set returned to the guest through a kill -9 right after the response, and across restarts", async () => {
    const dir = await appCopy();
    const first = await up(dir);
    const stored = await fetch(`${first.url}/kv/?key=durable`, { method: "PUT", body: "survives" });
    expect(await stored.text()).toBe("stored\n");
    first.child.kill("SIGKILL");
    await first.exited;
    const second = await up(dir, ["--key-value", "seeded=from the command line"]);
    try {
      expect(await (await fetch(`${second.url}/kv/?key=durable`)).text()).toBe("survives");
      expect(await (await fetch(`${second.url}/kv/?key=seeded`)).text()).toBe("from the command line");
    } finally {
      await second.stop();
    }
  });
});

describe("key-value: a Redis store that fails", () => {
  test("hands the guest the failure's message as `other`, on both interfaces (not the text of an object)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-kv-"));
    cpSync(join(repoRoot, "test/fixtures/apps/kv"), dir, { recursive: true });
    copyFileSync(fixtureWasm("http-kv"), join(dir, "kv.wasm"));
    copyFileSync(fixtureWasm("http-wasi-kv"), join(dir, "wasi-kv.wasm"));
    useSharedCache(dir);
    const down = `redis://127.0.0.1:${await closedPort()}`;
    writeFileSync(
      join(dir, "runtime-config.toml"),
      `[key_value_store.default]\ntype = "redis"\nurl = "${down}/0"\n[key_value_store.other]\ntype = "redis"\nurl = "${down}/1"\n`,
    );
    const wisp = await WispProcess.up(["--runtime-config-file", "runtime-config.toml"], { cwd: dir });
    try {
      for (const path of ["/kv/?key=k", "/wkv/?key=k"]) {
        const failed = await fetch(`${wisp.url}${path}`);
        expect(failed.status, path).toBe(500);
        const { error } = (await failed.json()) as { error: { tag: string; val: unknown } };
        expect(error.tag, path).toBe("other");
        expect(error.val, path).toEqual(expect.any(String));
        expect(error.val, path).not.toContain("[object Object]");
        // ioredis' own words: the connection refused, after its one retry.
        expect(error.val, path).toMatch(/retries|ECONNREFUSED|connect/i);
      }
    } finally {
      await wisp.stop();
    }
  });
});
