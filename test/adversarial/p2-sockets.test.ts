import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

const WAITING = 20;

/**
 * Hostile peers and clients against a 0.2 guest's own sockets (http-sockets.component.c): a peer
 * that takes the connection and never answers, let go of at the guest's deadline or by its
 * client, must not hold the guest, its connection or its worker; a peer that floods it must not
 * fill the server's memory.
 */
describe("adversarial: a 0.2 guest's sockets let go of with their run", () => {
  let silent: Server;
  const open = new Set<Socket>();
  let flood: Server;
  let wisp: WispProcess & { url: string };
  let stuck: string;

  beforeAll(async () => {
    silent = createServer((socket) => {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => {});
      // Reads (and drops) what comes, so that it sees the guest's side close.
      socket.resume();
    }).listen(0, "127.0.0.1");
    await once(silent, "listening");
    // Answers each connection with 64 MiB, as fast as the guest's side takes it.
    flood = createServer((socket) => {
      socket.on("error", () => {});
      const chunk = Buffer.alloc(1024 * 1024, "x");
      let sent = 0;
      const more = () => {
        while (sent < 64 && socket.write(chunk)) sent++;
        if (sent < 64) socket.once("drain", more);
        else socket.end();
      };
      more();
    }).listen(0, "127.0.0.1");
    await once(flood, "listening");
    const silentPort = (silent.address() as AddressInfo).port;
    const floodPort = (flood.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), "wisp-p2-sockets-hostile-"));
    copyFileSync(fixtureWasm("http-sockets"), join(dir, "sockets.wasm"));
    copyFileSync(fixtureWasm("http-hello"), join(dir, "hello.wasm"));
    writeFileSync(
      join(dir, "spin.toml"),
      [
        "spin_manifest_version = 2",
        "[application]",
        'name = "p2-sockets-hostile"',
        "[[trigger.http]]",
        'route = "/s/..."',
        'component = "sockets"',
        "[[trigger.http]]",
        'route = "/hello"',
        'component = "hello"',
        "[component.sockets]",
        'source = "sockets.wasm"',
        `allowed_outbound_hosts = ["tcp://127.0.0.1:${silentPort}", "tcp://127.0.0.1:${floodPort}"]`,
        "[component.sockets.tool.wisp]",
        'timeout = "1s"',
        "[component.hello]",
        'source = "hello.wasm"',
        "",
      ].join("\n"),
    );
    wisp = await WispProcess.up(["-f", dir, "--workers", "1"]);
    stuck = `${wisp.url}/s/tcp/127.0.0.1/${silentPort}/anyone`;
    flooded = `${wisp.url}/s/tcp/127.0.0.1/${floodPort}/go`;
  });
  let flooded: string;
  afterAll(async () => {
    for (const socket of open) socket.destroy();
    silent?.close();
    flood?.close();
    await wisp?.stop();
  });

  it(`${WAITING} guests waiting on a silent peer at their deadline get 504s, and their connections close at once`, async () => {
    const statuses = await Promise.all(
      Array.from({ length: WAITING }, () => fetch(stuck).then((response) => response.status)),
    );
    expect(new Set(statuses)).toEqual(new Set([504]));
    // Its sockets are closed with the run: not held until the guest's instance is collected.
    await waitFor(() => open.size === 0, 2_000);
    expect((await fetch(`${wisp.url}/hello`)).status).toBe(200);
  });

  it("a client that leaves while its guest waits on a socket takes the guest's connection with it", async () => {
    const leaving = Array.from({ length: 5 }, () => new AbortController());
    const requests = leaving.map((client) => fetch(stuck, { signal: client.signal }).catch(() => "left"));
    await waitFor(() => open.size >= 5, 5_000);
    for (const client of leaving) client.abort();
    expect(new Set(await Promise.all(requests))).toEqual(new Set(["left"]));
    await waitFor(() => open.size === 0, 2_000);
    expect(wisp.stderr).not.toMatch(/stopped with its worker thread/);
  });

  it("a peer that floods a guest reading only its first bytes neither stalls the worker nor fills its memory", async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(flooded).then(async (response) => [response.status, await response.text()]),
      ),
    );
    for (const [status, text] of answers) {
      expect(status).toBe(200);
      expect(String(text)).toMatch(/^x+$/);
      expect(String(text).length).toBeLessThanOrEqual(4096);
    }
    expect((await fetch(`${wisp.url}/hello`)).status).toBe(200);
  });
});
