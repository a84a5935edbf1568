import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { sharedComponentCache } from "../support/shared-cache.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

const useSharedCache = sharedComponentCache();

/**
 * Guests that open sockets and never close them (p3-spin.component.wat's /t/PORT connects and
 * answers without dropping its socket), many at once: each run's sockets are closed when it ends,
 * so the upstream sees every connection end and the server holds none; a port the grant does not
 * name is never connected, however often it is asked.
 */
describe("WASI 0.3 sockets a guest leaves open", () => {
  let wisp: WispProcess & { url: string };
  let upstream: Server;
  let port: number;
  let opened = 0;
  let ended = 0;

  beforeAll(async () => {
    upstream = createServer((socket) => {
      opened++;
      // The upstream keeps its side open: only the guest's side closing ends the connection.
      socket
        .on("end", () => ended++)
        .on("error", () => undefined)
        .resume();
    }).listen(0, "127.0.0.1");
    await once(upstream, "listening");
    port = (upstream.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), "wisp-p3-sockets-left-"));
    copyFileSync(fixtureWasm("p3-spin"), join(dir, "guest.wasm"));
    writeFileSync(
      join(dir, "spin.toml"),
      `spin_manifest_version = 2
[application]
name = "p3-sockets-left-open"
[[trigger.http]]
route = "/..."
component = "guest"
[component.guest]
source = "guest.wasm"
allowed_outbound_hosts = ["tcp://127.0.0.1:${port}"]
`,
    );
    useSharedCache(dir);
    wisp = await WispProcess.up(["-f", dir]);
  });
  afterAll(async () => {
    await wisp?.stop();
    upstream?.close();
  });

  it("closes every connection its runs left open, 40 runs at once", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => fetch(`${wisp.url}/t/${port}`).then((r) => r.headers.get("x-value"))),
    );
    expect(answers).toEqual(Array(40).fill("connected"));
    await waitFor(() => ended === 40, 10_000);
    expect(opened).toBe(40);
  });

  it("never connects where the grant does not name, and goes on serving", async () => {
    const denied = await Promise.all(
      [port + 1, 22, 6379, 65535].map((other) => fetch(`${wisp.url}/t/${other}`).then((r) => r.headers.get("x-error"))),
    );
    expect(denied).toEqual(["0", "0", "0", "0"]);
    expect((await fetch(`${wisp.url}/t/${port}`)).headers.get("x-value")).toBe("connected");
  });
});
