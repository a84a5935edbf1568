import { copyFileSync, cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import mqtt from "mqtt";
import mysql from "mysql2/promise";
import pg from "pg";
import { describe, expect, test } from "vitest";
import { fixtureWasm, repoRoot } from "../support/dist.js";
import { reachable } from "../support/services.js";
import { sharedComponentCache } from "../support/shared-cache.js";
import { testAuthority, tlsPostgresProxy } from "../support/tls-postgres-proxy.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

/**
 * Spin 4's interfaces, as a Spin 4 SDK's component calls them: a wasi:http 0.3 handler
 * (p3-spin.component.wat) making async calls to spin:key-value@3.0.0 and spin:variables@3.0.0
 * and reading the keys from a stream. It answers with what it found in headers (see the fixture).
 */
const useSharedCache = sharedComponentCache();

/** The Redis database this file owns (emptied before each test). */
const REDIS = "redis://127.0.0.1:6379/9";
const redisUp = await reachable(6379);
if (!redisUp) console.warn("skipping Spin 4's key-value on Redis and its redis interface: no Redis on 127.0.0.1:6379");
const postgresUp = await reachable(5432);
if (!postgresUp) console.warn("skipping Spin 4's postgres interface: no PostgreSQL on 127.0.0.1:5432");
const mysqlUp = await reachable(3306);
if (!mysqlUp) console.warn("skipping Spin 4's mysql interface: no MySQL on 127.0.0.1:3306");
const brokerUp = await reachable(1883);
if (!brokerUp) console.warn("skipping Spin 4's mqtt interface: no broker on 127.0.0.1:1883");

const BACKENDS = [
  { name: "SQLite (the default store)", config: "", skip: false },
  { name: "Redis", config: `[key_value_store.default]\ntype = "redis"\nurl = "${REDIS}"\n`, skip: !redisUp },
];

function appCopy(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), "wisp-spin4-"));
  cpSync(join(repoRoot, "test/fixtures/apps/spin4"), dir, { recursive: true });
  copyFileSync(fixtureWasm("p3-spin"), join(dir, "spin4.wasm"));
  copyFileSync(fixtureWasm("http-kv"), join(dir, "kv.wasm"));
  writeFileSync(join(dir, "runtime-config.toml"), config);
  useSharedCache(dir);
  return dir;
}

/** What the guest found: its x- headers. */
async function found(response: Response): Promise<Record<string, string>> {
  expect(response.status).toBe(200);
  await response.arrayBuffer();
  return Object.fromEntries([...response.headers].filter(([name]) => name.startsWith("x-")));
}

describe.each(BACKENDS)("Spin 4's key-value (spin:key-value@3.0.0) on $name", ({ config, skip }) => {
  const it = skip ? test.skip : test;

  it("gets, sets, checks, lists (a stream of keys, read in several reads) and deletes, as Spin 3's interface sees it", async () => {
    if (config) {
      const client = new Redis(REDIS);
      await client.flushdb();
      // More keys than the guest reads at once (16), so the stream is read in several parts.
      for (let i = 0; i < 20; i++) await client.set(`seeded-${String(i).padStart(2, "0")}`, "s");
      client.disconnect();
    }
    const seeds = config
      ? []
      : Array.from({ length: 20 }, (_, i) => ["--key-value", `seeded-${String(i).padStart(2, "0")}=s`]).flat();
    const wisp = await WispProcess.up(["--runtime-config-file", "runtime-config.toml", ...seeds], {
      cwd: appCopy(config),
    });
    try {
      const seeded = Array.from({ length: 20 }, (_, i) => `seeded-${String(i).padStart(2, "0")}`);
      expect(await found(await fetch(`${wisp.url}/granted/k/default`))).toEqual({
        "x-value": "x",
        "x-exists": "1",
        "x-keys": ["log", ...seeded].sort().join(","),
      });
      expect((await found(await fetch(`${wisp.url}/granted/k/default`)))["x-value"]).toBe("xx");
      // Spin 3's interface reads what Spin 4's wrote, and the other way round.
      expect(await (await fetch(`${wisp.url}/spin3/?key=log`)).text()).toBe("xx");
      await fetch(`${wisp.url}/spin3/?key=log`, { method: "PUT", body: "xxxxx" });
      expect((await found(await fetch(`${wisp.url}/granted/k/default`)))["x-value"]).toBe("xxxxxx");
      if (config) {
        const client = new Redis(REDIS);
        expect(await client.get("log")).toBe("xxxxxx");
        client.disconnect();
      }
      expect(await found(await fetch(`${wisp.url}/granted/d/default`))).toEqual({ "x-exists": "0" });
      expect((await found(await fetch(`${wisp.url}/granted/k/default`)))["x-value"]).toBe("x");
    } finally {
      await wisp.stop();
    }
  });

  it("denies a store the component was not granted: the interface's access-denied (tag 2), and serves on", async () => {
    const wisp = await WispProcess.up(["--runtime-config-file", "runtime-config.toml"], { cwd: appCopy(config) });
    try {
      expect(await found(await fetch(`${wisp.url}/denied/k/default`))).toEqual({ "x-error": "2" });
      expect(await found(await fetch(`${wisp.url}/granted/k/never-granted`))).toEqual({ "x-error": "2" });
      expect(await found(await fetch(`${wisp.url}/denied/d/default`))).toEqual({ "x-error": "2" });
      expect((await found(await fetch(`${wisp.url}/granted/k/default`)))["x-exists"]).toBe("1");
    } finally {
      await wisp.stop();
    }
  });
});

describe("Spin 4's variables (spin:variables@3.0.0)", () => {
  test("answers the component's variables, resolved from the app's, and the interface's errors for the rest", async () => {
    const wisp = await WispProcess.up([], {
      cwd: appCopy(""),
      env: { ...process.env, SPIN_VARIABLE_GREETING: "hi" },
    });
    try {
      expect(await found(await fetch(`${wisp.url}/granted/v/message`))).toEqual({ "x-value": "hi from Spin 4" });
      // Not granted to this component: `undefined` (tag 1), naming the variable.
      expect(await found(await fetch(`${wisp.url}/denied/v/message`))).toEqual({
        "x-error": "1",
        "x-detail": "the component has no variable named message; grant it in the manifest's component variables",
      });
      // Not a variable name at all: `invalid-name` (tag 0).
      expect(await found(await fetch(`${wisp.url}/granted/v/Bad-Name`))).toEqual({
        "x-error": "0",
        "x-detail": '"Bad-Name" is not a variable name',
      });
    } finally {
      await wisp.stop();
    }
  });
});

describe("Spin 4's sqlite (spin:sqlite@3.1.0's async functions)", () => {
  test("opens, executes, counts changes and streams rows back; refuses a database not granted and reports SQLite's errors", async () => {
    const dir = appCopy("");
    const wisp = await WispProcess.up([], { cwd: dir });
    try {
      expect(await found(await fetch(`${wisp.url}/granted/s/default`))).toEqual({
        "x-changes": "1",
        "x-keys": "visits: 1",
      });
      expect(await found(await fetch(`${wisp.url}/granted/s/default`))).toEqual({
        "x-changes": "1",
        "x-keys": "visits: 2",
      });
      // The rows are in the app's default database, where Spin keeps it.
      const db = new DatabaseSync(join(dir, ".wisp", "sqlite_db.db"), { readOnly: true });
      expect(db.prepare("SELECT count(*) AS n FROM visits").get()).toEqual({ n: 2 });
      db.close();
      // Not granted: `access-denied` (tag 1); a statement SQLite refuses: `io` (tag 4) with its text.
      expect(await found(await fetch(`${wisp.url}/denied/s/default`))).toEqual({ "x-error": "1" });
      expect(await found(await fetch(`${wisp.url}/granted/s/elsewhere`))).toEqual({ "x-error": "1" });
      expect(await found(await fetch(`${wisp.url}/granted/q/default`))).toEqual({
        "x-error": "4",
        "x-detail": 'near "SELEC": syntax error',
      });
      expect((await found(await fetch(`${wisp.url}/granted/s/default`)))["x-keys"]).toBe("visits: 3");
    } finally {
      await wisp.stop();
    }
  });
});

describe("WASI 0.3's filesystem (wasi:filesystem@0.3.0): the component's files, read-only", () => {
  test("reads a file and lists a directory as streams; what is missing or not granted is an error", async () => {
    const wisp = await WispProcess.up([], { cwd: appCopy("") });
    try {
      expect(await found(await fetch(`${wisp.url}/granted/f/hello.txt`))).toEqual({ "x-keys": "hello from a file" });
      expect(await found(await fetch(`${wisp.url}/granted/l/_`))).toEqual({ "x-keys": "hello.txt,sub" });
      // no-entry is error-code 19 ("C" = "0" + 19). (Paths that climb out: adversarial/p3-files.)
      expect(await found(await fetch(`${wisp.url}/granted/f/missing.txt`))).toEqual({ "x-error": "C" });
      // A component granted no files has no preopened directory at all.
      expect(await found(await fetch(`${wisp.url}/denied/f/hello.txt`))).toEqual({ "x-error": "X" });
    } finally {
      await wisp.stop();
    }
  });
});

describe.skipIf(!redisUp)("Spin 4's redis (spin:redis@3.0.0)", () => {
  test("increments, gets and publishes through the shared client, to allowed hosts only", async () => {
    const redis = new Redis("redis://127.0.0.1:6379");
    await redis.del("wisp-spin4-count@127.0.0.1:6379");
    const subscriber = new Redis("redis://127.0.0.1:6379");
    const received: string[] = [];
    subscriber.on("message", (_channel: string, message: string) => received.push(message));
    await subscriber.subscribe("spin4-channel");
    const wisp = await WispProcess.up([], { cwd: appCopy("") });
    try {
      expect(await found(await fetch(`${wisp.url}/granted/r/127.0.0.1:6379`))).toEqual({
        "x-changes": "1",
        "x-value": "1",
      });
      expect(await found(await fetch(`${wisp.url}/granted/r/127.0.0.1:6379`))).toEqual({
        "x-changes": "2",
        "x-value": "2",
      });
      expect(await redis.get("wisp-spin4-count@127.0.0.1:6379")).toBe("2");
      // Spin 3's redis beside Spin 4's, its calls synchronous in the guest: they suspend it (its
      // thread runs other requests meanwhile), with the same client and grant.
      expect(await found(await fetch(`${wisp.url}/granted/R/127.0.0.1:6379`))).toEqual({ "x-changes": "3" });
      expect(await found(await fetch(`${wisp.url}/denied/R/127.0.0.1:6379`))).toEqual({
        "x-error": "3",
        "x-detail": "access denied: 127.0.0.1:6379 is not in allowed_outbound_hosts",
      });
      await redis.decr("wisp-spin4-count@127.0.0.1:6379");
      await waitFor(() => received.length === 2);
      expect(received).toEqual(["hello from Spin 4", "hello from Spin 4"]);
      // Not in the component's allowed_outbound_hosts: `other` (tag 3), and a log line saying what to add.
      expect(await found(await fetch(`${wisp.url}/denied/r/127.0.0.1:6379`))).toEqual({
        "x-error": "3",
        "x-detail": "access denied: 127.0.0.1:6379 is not in allowed_outbound_hosts",
      });
      await waitFor(() =>
        wisp.stderr.includes(
          '[denied] wisp: denied a Redis connection to 127.0.0.1:6379: add "redis://127.0.0.1:6379"',
        ),
      );
      expect(await redis.get("wisp-spin4-count@127.0.0.1:6379")).toBe("2");
    } finally {
      await wisp.stop();
      subscriber.disconnect();
      redis.disconnect();
    }
  });
});

describe.skipIf(!brokerUp)("Spin 4's mqtt (spin:mqtt@3.0.0)", () => {
  test("publishes to the broker, where a subscriber receives it, to allowed hosts only", async () => {
    const subscriber = await mqtt.connectAsync("mqtt://127.0.0.1:1883");
    const received: string[] = [];
    subscriber.on("message", (_topic, payload) => received.push(payload.toString()));
    await subscriber.subscribeAsync("spin4/topic", { qos: 1 });
    const wisp = await WispProcess.up([], { cwd: appCopy("") });
    try {
      expect(await found(await fetch(`${wisp.url}/granted/m/127.0.0.1:1883`))).toEqual({ "x-value": "published" });
      await waitFor(() => received.length === 1);
      expect(received).toEqual(["hello from Spin 4"]);
      // Not allowed: `connection-failed` (tag 2), nothing published.
      expect(await found(await fetch(`${wisp.url}/denied/m/127.0.0.1:1883`))).toEqual({
        "x-error": "2",
        "x-detail": "access denied: 127.0.0.1:1883 is not in allowed_outbound_hosts",
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received).toHaveLength(1);
    } finally {
      await wisp.stop();
      await subscriber.endAsync();
    }
  });
});

describe.skipIf(!postgresUp)("Spin 4's postgres (spin:postgres@4.2.0's async functions and 4.1's builder)", () => {
  test("opens, executes and streams a query's rows back; a host not allowed is connection-failed", async () => {
    const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/test" });
    await admin.connect();
    await admin.query("DROP TABLE IF EXISTS spin4_visits");
    const wisp = await WispProcess.up([], { cwd: appCopy("") });
    try {
      expect(await found(await fetch(`${wisp.url}/granted/p/127.0.0.1:5432`))).toEqual({
        "x-changes": "1",
        "x-keys": "visits: 1",
      });
      expect((await found(await fetch(`${wisp.url}/granted/p/127.0.0.1:5432`)))["x-keys"]).toBe("visits: 2");
      expect((await admin.query("SELECT count(*)::int AS n FROM spin4_visits")).rows).toEqual([{ n: 2 }]);
      // Not allowed: connection-failed (tag 0), with a log line; nothing ran.
      expect(await found(await fetch(`${wisp.url}/denied/p/127.0.0.1:5432`))).toEqual({
        "x-error": "0",
        "x-detail": "access denied: 127.0.0.1:5432 is not in allowed_outbound_hosts",
      });
      await waitFor(() => wisp.stderr.includes("[denied] wisp: denied a PostgreSQL connection to 127.0.0.1:5432"));
      expect((await admin.query("SELECT count(*)::int AS n FROM spin4_visits")).rows).toEqual([{ n: 2 }]);
    } finally {
      await wisp.stop();
      await admin.end();
    }
  });

  test("a builder's CA root is what its TLS trusts: a server that root signed is reached, one it did not sign is refused", async () => {
    const trusted = testAuthority();
    const stranger = testAuthority();
    const proxy = await tlsPostgresProxy(trusted);
    const up = (ca: string) => WispProcess.up([], { cwd: appCopy(""), env: { ...process.env, SPIN_VARIABLE_CA: ca } });
    const wisp = await up(trusted.caPem);
    try {
      const reached = await found(await fetch(`${wisp.url}/granted/b/localhost:${proxy.port}`));
      expect(reached["x-changes"]).toBe("1");
      expect(reached["x-keys"]).toMatch(/^visits: \d+$/);
    } finally {
      await wisp.stop();
    }
    const untrusting = await up(stranger.caPem);
    try {
      const refused = await found(await fetch(`${untrusting.url}/granted/b/localhost:${proxy.port}`));
      // query-failed (tag 2): the connection's TLS failed, as the driver says.
      expect(refused["x-error"]).toBe("2");
      expect(refused["x-detail"]).toMatch(/certificate/i);
      // Not a certificate at all: the builder's own error, `other` (tag 4).
      const garbled = await up("not a certificate");
      try {
        expect(await found(await fetch(`${garbled.url}/granted/b/localhost:${proxy.port}`))).toEqual({
          "x-error": "4",
          "x-detail": "set-ca-root takes a certificate in PEM form (-----BEGIN CERTIFICATE-----)",
        });
      } finally {
        await garbled.stop();
      }
    } finally {
      await untrusting.stop();
      await proxy.close();
    }
  });
});

describe.skipIf(!mysqlUp)("Spin 4's mysql (spin:mysql@3.0.0)", () => {
  test("opens, executes and streams a query's rows back; a host not allowed is connection-failed", async () => {
    const admin = await mysql.createConnection("mysql://root@127.0.0.1:3306/test");
    await admin.query("DROP TABLE IF EXISTS spin4_visits");
    const wisp = await WispProcess.up([], { cwd: appCopy("") });
    try {
      expect(await found(await fetch(`${wisp.url}/granted/y/127.0.0.1:3306`))).toEqual({ "x-keys": "visits: 1" });
      expect(await found(await fetch(`${wisp.url}/granted/y/127.0.0.1:3306`))).toEqual({ "x-keys": "visits: 2" });
      const [rows] = await admin.query("SELECT COUNT(*) AS n FROM spin4_visits");
      expect(rows).toEqual([{ n: 2 }]);
      expect(await found(await fetch(`${wisp.url}/denied/y/127.0.0.1:3306`))).toEqual({
        "x-error": "0",
        "x-detail": "access denied: 127.0.0.1:3306 is not in allowed_outbound_hosts",
      });
      await waitFor(() => wisp.stderr.includes("[denied] wisp: denied a MySQL connection to 127.0.0.1:3306"));
    } finally {
      await wisp.stop();
      await admin.end();
    }
  });
});
