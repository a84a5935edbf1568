import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/dist.js";
import { reachable } from "../support/services.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

const redisUp = await reachable(6379);
if (!redisUp) console.warn("skipping outbound Redis: no Redis on 127.0.0.1:6379");

describe.skipIf(!redisUp)("outbound Redis: fermyon:spin/redis behind allowed_outbound_hosts", () => {
  let wisp: WispProcess & { url: string };
  const address = encodeURIComponent("redis://127.0.0.1:6379");
  const key = `wisp-test-${randomUUID()}`;

  beforeAll(async () => {
    wisp = await WispProcess.up(["-f", join(repoRoot, "test/fixtures/apps/redis")]);
  });
  afterAll(async () => {
    await wisp?.stop();
  });

  const call = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${wisp.url}${path}${path.includes("?") ? "&" : "?"}address=${address}`, init);
    return { status: response.status, text: await response.text() };
  };

  it("sets, gets, increments, uses sets and runs commands through one shared client", async () => {
    expect(await call(`/allowed/set?key=${key}`, { method: "POST", body: "value from wasm" })).toEqual({
      status: 200,
      text: "OK\n",
    });
    expect(await call(`/allowed/get?key=${key}`)).toEqual({ status: 200, text: "value from wasm" });
    expect((await call(`/allowed/get?key=${key}-missing`)).status).toBe(404);
    expect((await call(`/allowed/incr?key=${key}-n`)).text).toBe("1");
    expect((await call(`/allowed/incr?key=${key}-n`)).text).toBe("2");
    expect(JSON.parse((await call(`/allowed/sets?key=${key}-s`)).text)).toEqual(["a", "b"]);
    expect((await call("/allowed/execute")).text).toBe("binary:echoed");
    // Many requests, one connection: they all succeed concurrently.
    const many = await Promise.all(Array.from({ length: 20 }, () => call(`/allowed/incr?key=${key}-c`)));
    expect(many.every((r) => r.status === 200)).toBe(true);
    expect((await call(`/allowed/get?key=${key}-c`)).text).toBe("20");
  });

  it("denies an address the component was not allowed, with a log line, and serves on", async () => {
    const denied = await call(`/closed/get?key=${key}`);
    expect(denied.status).toBe(500);
    expect(JSON.parse(denied.text).error.tag).toBe("other");
    await waitFor(() =>
      wisp.stderr.includes(
        '[closed] wisp: denied a Redis connection to 127.0.0.1:6379: add "redis://127.0.0.1:6379" to allowed_outbound_hosts',
      ),
    );
    // The server and the allowed component go on.
    expect((await call(`/allowed/get?key=${key}`)).status).toBe(200);
  });
});
