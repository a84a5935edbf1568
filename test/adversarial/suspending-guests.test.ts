import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";
import { delayedUpstream, outboundApp, sendMiB, upstreamOf, type Upstream } from "../support/waiting-upstreams.js";

const WAITING = 30;

/**
 * Hostile load on 0.2 guests whose waits suspend (see suspendingGlue): many requests whose
 * upstream never answers, let go of at their deadline or by their clients, must not be held open
 * on main or on the worker until the upstream's own time limit (30 s): main lets go of the
 * upstream at once, and the guest's wait fails so that its instance is freed.
 */
describe("adversarial: suspending 0.2 guests let go of while they wait", () => {
  /**
   * An upstream that takes every request and never answers, counting the connections that carry
   * one and are still open (a connection the client's pool opened ahead, idle, is not a request).
   */
  let silent: Server;
  const open = new Set<Socket>();
  let wisp: WispProcess & { url: string };
  let stuck: string;
  /** The guest's route passing on the upstream's body at `path` as it arrives. */
  let piped: (path: string) => string;

  beforeAll(async () => {
    silent = createServer((req, res) => {
      const { socket } = req;
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      // A head and part of a body, then: the connection cut, or nothing more.
      if (req.url === "/cut" || req.url === "/part") {
        res.writeHead(200, { "content-length": "100000" });
        res.write("the first part\n");
        if (req.url === "/cut") setTimeout(() => socket.destroy(), 100);
      }
    });
    await new Promise<void>((listening) => silent.listen(0, "127.0.0.1", listening));
    const address = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), "wisp-suspending-hostile-"));
    copyFileSync(fixtureWasm("http-outbound"), join(dir, "outbound.wasm"));
    copyFileSync(fixtureWasm("http-hello"), join(dir, "hello.wasm"));
    writeFileSync(
      join(dir, "spin.toml"),
      [
        "spin_manifest_version = 2",
        "[application]",
        'name = "suspending-hostile"',
        "[[trigger.http]]",
        'route = "/stuck"',
        'component = "stuck"',
        "[[trigger.http]]",
        'route = "/hello"',
        'component = "hello"',
        "[component.stuck]",
        'source = "outbound.wasm"',
        `allowed_outbound_hosts = ["http://${address}"]`,
        "[component.stuck.tool.wisp]",
        'timeout = "1s"',
        "[component.hello]",
        'source = "hello.wasm"',
        "",
      ].join("\n"),
    );
    wisp = await WispProcess.up(["-f", dir, "--workers", "2"]);
    stuck = `${wisp.url}/stuck?url=http://${address}/`;
    piped = (path: string) => `${wisp.url}/stuck?pipe=1&url=http://${address}${path}`;
  });
  afterAll(async () => {
    silent?.closeAllConnections();
    silent?.close();
    await wisp?.stop();
  });

  it(`${WAITING} guests still waiting at their deadline get 504s, and their upstream connections close at once`, async () => {
    const statuses = await Promise.all(
      Array.from({ length: WAITING }, () => fetch(stuck).then((response) => response.status)),
    );
    // Each is its own 504: none fails with a thread that a flush's StreamClosed ended (500).
    expect(new Set(statuses)).toEqual(new Set([504]));
    // Held until the upstream's own limit (30 s) before main let go of them with their jobs.
    await waitFor(() => open.size === 0, 2_000);
    expect((await fetch(`${wisp.url}/hello`)).status).toBe(200);
  });

  it("a client that leaves while its guest waits takes the guest's upstream connection with it", async () => {
    const before = open.size;
    const leaving = Array.from({ length: 10 }, () => new AbortController());
    const requests = leaving.map((client) => fetch(stuck, { signal: client.signal }).catch(() => "left"));
    await waitFor(() => open.size >= before + 10, 5_000);
    for (const client of leaving) client.abort();
    expect(new Set(await Promise.all(requests))).toEqual(new Set(["left"]));
    await waitFor(() => open.size === 0, 2_000);
    expect(wisp.stderr).not.toMatch(/stopped with its worker thread/);
  });

  it("an upstream body cut short reaches the client cut short: its response fails, never a clean short body", async () => {
    const response = await fetch(piped("/cut"));
    // The head went out as the first part came; the rest can only fail.
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    await waitFor(() => /outbound response body failed/.test(wisp.stderr), 2_000);
  });

  it("a client that leaves while its guest passes on an upstream's body takes the upstream connection with it", async () => {
    const client = new AbortController();
    const response = await fetch(piped("/part"), { signal: client.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("the first part");
    expect(open.size).toBe(1);
    client.abort();
    // Held on main until the body's time limit (30 s) before.
    await waitFor(() => open.size === 0, 2_000);
    // The response its guest was writing fails to flush (StreamClosed): in its own run, never
    // thrown on the thread, which ended every request on it.
    expect(wisp.stderr).not.toMatch(/worker error/);
  });
});

/**
 * A client that stops reading a large response holds back that response only: a concurrent job's
 * window is its own and its writes never block the thread. Before, the jobs of a worker shared one
 * window and a full one blocked the thread: every request beside the slow one stalled.
 */
describe("adversarial: a client that stops reading a suspending guest's large response", () => {
  let upstream: Upstream;
  let wisp: WispProcess & { url: string };
  let base: string;
  beforeAll(async () => {
    upstream = await upstreamOf((req, res) => (req.url === "/large" ? sendMiB(res, 64, 0x62) : res.end("fast\n")));
    const { address } = upstream;
    const dir = outboundApp("slow-client", address);
    // One thread: the slow response and the others share it.
    wisp = await WispProcess.up(["-f", dir, "--workers", "1"]);
    base = `${wisp.url}/?url=http://${address}`;
  });
  afterAll(async () => {
    upstream?.close();
    await wisp?.stop();
  });

  it("the requests beside it on its thread go on", async () => {
    const slowClient = new AbortController();
    const slow = await fetch(`${base}/large&pipe=1`, { signal: slowClient.signal });
    expect(slow.status).toBe(200);
    // Never read: the socket's buffers fill, then the guest's window.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = performance.now();
    const beside = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${base}/fast`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.text()),
      ),
    );
    expect(new Set(beside)).toEqual(new Set(["200 fast\n"]));
    expect(performance.now() - started).toBeLessThan(3_000);
    slowClient.abort();
  });
});

/**
 * A suspending guest's runs overlap on one thread (see ComponentFactory: each gets cores of its
 * own): no run may see another's state, however many are suspended at once, and none the state a
 * run before it left.
 */
describe("adversarial: suspending guests side by side on one thread", () => {
  let upstream: Upstream;
  let wisp: WispProcess & { url: string };
  let counted: string;
  beforeAll(async () => {
    upstream = await delayedUpstream(100, "waited");
    const dir = outboundApp("reused-cores", upstream.address);
    wisp = await WispProcess.up(["-f", dir, "--workers", "1"]);
    counted = `${wisp.url}/?count=1&url=http://${upstream.address}/`;
  });
  afterAll(async () => {
    upstream?.close();
    await wisp?.stop();
  });

  it("each run, 30 at once and then 30 more, starts from a fresh instance's state", async () => {
    for (let round = 0; round < 2; round++) {
      const answers = await Promise.all(
        Array.from({ length: 30 }, () => fetch(counted).then((response) => response.text())),
      );
      expect(new Set(answers)).toEqual(new Set(["runs=1 200 waited"]));
    }
  });
});
