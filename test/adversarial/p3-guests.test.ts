import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";
import { upstreamSet } from "../support/wasi-testsuite-p3.js";

/**
 * A hostile wasi:http 0.3 guest (p3-hostile.component.wat, the component model's async ABI) that
 * traps, loops or eats memory by path: each request fails alone, with the status its failure
 * deserves, and the server goes on serving the component.
 */
describe("a hostile wasi:http 0.3 guest", () => {
  let wisp: WispProcess & { url: string };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-p3-hostile-"));
    copyFileSync(fixtureWasm("p3-hostile"), join(dir, "web.wasm"));
    writeFileSync(
      join(dir, "spin.toml"),
      [
        "spin_manifest_version = 2",
        "[application]",
        'name = "p3-hostile"',
        "[[trigger.http]]",
        'route = "/..."',
        'component = "web"',
        "[component.web]",
        'source = "web.wasm"',
        "[component.web.tool.wisp]",
        'timeout = "2s"',
        'max_memory = "8MiB"',
        "",
      ].join("\n"),
    );
    wisp = await WispProcess.up(["-f", dir]);
  });
  afterAll(() => wisp.stop());

  it("a trap is a 500 naming the trap, and the next request is served", async () => {
    expect((await fetch(`${wisp.url}/trap`)).status).toBe(500);
    await expect.poll(() => wisp.stderr).toContain("[web] request failed: trap: wasm trap: wasm `unreachable`");
    expect((await fetch(`${wisp.url}/trap`)).status).toBe(500);
  });

  it("memory growth stops at the component's max_memory: the guest sees the refusal (then traps, 500)", async () => {
    const before = wisp.stderr.length;
    expect((await fetch(`${wisp.url}/memory`)).status).toBe(500);
    await expect.poll(() => wisp.stderr.slice(before)).toContain("unreachable");
  });

  it("a guest that never yields is stopped at its deadline with a 504, and the server goes on", async () => {
    const started = Date.now();
    expect((await fetch(`${wisp.url}/loop`)).status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    await expect.poll(() => wisp.stderr).toContain("[web] request failed: deadline exceeded");
    expect((await fetch(`${wisp.url}/trap`)).status).toBe(500);
  });
});

/**
 * A wasi:http 0.3 guest's outbound requests go only where its grant says: wasi-testsuite's
 * http-client case (it POSTs "ping" to HTTP_SERVER_MAIN and wants it echoed), from the upstream
 * set where a mirror is present.
 */
const upstream = upstreamSet();
describe.skipIf(!upstream)("a wasi:http 0.3 guest's outbound requests", () => {
  let server: Server;
  let address = "";
  const served: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      served.push(`${req.method} ${req.url}`);
      req.pipe(res);
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  async function serveWithGrant(allowed: string[]): Promise<WispProcess & { url: string }> {
    const dir = mkdtempSync(join(tmpdir(), "wisp-p3-client-"));
    writeFileSync(
      join(dir, "spin.toml"),
      [
        "spin_manifest_version = 2",
        "[application]",
        'name = "p3-client"',
        "[[trigger.http]]",
        'route = "/..."',
        'component = "client"',
        "[component.client]",
        `source = ${JSON.stringify(join(upstream!, "http-client.wasm"))}`,
        `allowed_outbound_hosts = ${JSON.stringify(allowed)}`,
        `environment = { HTTP_SERVER_MAIN = ${JSON.stringify(address)} }`,
        "",
      ].join("\n"),
    );
    return WispProcess.up(["-f", dir]);
  }

  it("granted its server, it reaches it", async () => {
    const wisp = await serveWithGrant([`http://${address}`]);
    try {
      const before = served.length;
      expect((await fetch(`${wisp.url}/`)).status).toBe(200);
      expect(served.slice(before)).toEqual(["POST /echo"]);
    } finally {
      await wisp.stop();
    }
  });

  // Grants made when the test runs: the server's address is known only then.
  for (const [what, allowed] of [
    ["no grant", () => []],
    ["another port", () => ["http://127.0.0.1:1"]],
    ["https only", () => [`https://${address}`]],
  ] as const) {
    it(`with ${what}, nothing leaves: the guest gets HTTP-request-denied and the log says what to add`, async () => {
      const wisp = await serveWithGrant(allowed());
      try {
        const before = served.length;
        expect((await fetch(`${wisp.url}/`)).status).toBe(500);
        await expect
          .poll(() => wisp.stderr)
          .toContain(
            `denied an outbound request to http://${address}: add "http://${address}" to allowed_outbound_hosts`,
          );
        expect(served.length).toBe(before);
      } finally {
        await wisp.stop();
      }
    });
  }
});

/**
 * Hostile clients of a wasi:http 0.3 guest: wasi-testsuite's echo service (../shared/conformance,
 * when present) given a body that stops part-way, the client gone, then a whole one.
 */
const ECHO_03 = "/work/shared/conformance/wasi-testsuite-p3/http-service-echo.wasm";
describe.skipIf(!existsSync(ECHO_03))("hostile clients of a wasi:http 0.3 guest", () => {
  let wisp: WispProcess & { url: string };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-p3-clients-"));
    wisp = await WispProcess.up(["--from", ECHO_03], { cwd: dir });
  });
  afterAll(() => wisp.stop());

  it("a client that leaves in the middle of a streamed body ends that request only; the next echo is whole", async () => {
    const { port } = new URL(wisp.url);
    await new Promise<void>((done) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write("POST /echo HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n");
        setTimeout(() => {
          socket.destroy();
          done();
        }, 300);
      });
    });
    const body = "after the client left";
    const response = await fetch(`${wisp.url}/echo`, { method: "POST", body });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(body);
  });
});
