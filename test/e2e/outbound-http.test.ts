import { copyFileSync, cpSync, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm, repoRoot } from "../support/dist.js";
import { waitFor } from "../support/wait-for.js";
import { runWisp, WispProcess } from "../support/wisp-process.js";

/** An upstream on 127.0.0.1 (allowed) that can redirect to `localhost` (a host not allowed). */
function upstream(): Promise<Server & { port: number }> {
  const server = createServer((req, res) => {
    const port = (server.address() as { port: number }).port;
    if (req.url === "/hello") return void res.end("hi from upstream");
    if (req.url === "/redirect-in") return void res.writeHead(302, { location: "/hello" }).end();
    if (req.url === "/redirect-out")
      return void res.writeHead(302, { location: `http://localhost:${port}/hello` }).end();
    if (req.url === "/echo") return void req.pipe(res);
    if (req.url === "/huge") {
      // 65 MiB, past the 64 MiB of a response read whole.
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const chunk = Buffer.alloc(1024 * 1024, 120);
      let sent = 0;
      const pump = () => {
        while (sent < 65) {
          sent++;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      return void pump();
    }
    res.writeHead(404).end("no");
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve(Object.assign(server, { port: (server.address() as { port: number }).port })),
    ),
  );
}

describe("outbound HTTP: wasi:http/outgoing-handler behind allowed_outbound_hosts", () => {
  let origin: Server & { port: number };
  let wisp: WispProcess & { url: string };

  beforeAll(async () => {
    origin = await upstream();
    const dir = mkdtempSync(join(tmpdir(), "wisp-outbound-"));
    cpSync(join(repoRoot, "test/fixtures/apps/outbound"), dir, { recursive: true });
    copyFileSync(fixtureWasm("http-outbound"), join(dir, "outbound.wasm"));
    wisp = await WispProcess.up(["--variable", `upstream_port=${origin.port}`], { cwd: dir });
  });
  afterAll(async () => {
    await wisp?.stop();
    origin?.close();
  });

  const through = async (route: string, target: string, init?: RequestInit) => {
    const response = await fetch(`${wisp.url}${route}?url=${encodeURIComponent(target)}`, init);
    return { status: response.status, text: await response.text() };
  };

  it("sends a request to an allowed host (the pattern's port from a variable), bodies both ways", async () => {
    expect(await through("/allowed", `http://127.0.0.1:${origin.port}/hello`)).toEqual({
      status: 200,
      text: "200 hi from upstream",
    });
    expect(await through("/allowed", `http://127.0.0.1:${origin.port}/echo`, { method: "POST", body: "ping" })).toEqual(
      { status: 200, text: "200 ping" },
    );
  });

  it("follows a redirect within the allowed host, and checks every hop", async () => {
    expect(await through("/allowed", `http://127.0.0.1:${origin.port}/redirect-in`)).toEqual({
      status: 200,
      text: "200 hi from upstream",
    });
    const out = await through("/allowed", `http://127.0.0.1:${origin.port}/redirect-out`);
    expect(out.status).toBe(502);
    await waitFor(() =>
      wisp.stderr.includes(`[allowed] wisp: denied an outbound request to http://localhost:${origin.port}`),
    );
  });

  it("denies what is not allowed, by default everything, with a log line naming the host and the key to change", async () => {
    const denied = await through("/closed", `http://127.0.0.1:${origin.port}/hello`);
    expect(denied).toEqual({
      status: 502,
      text: `failed: TypeError: HTTP-request-denied: the host refused a request to http://127.0.0.1:${origin.port}: add "http://127.0.0.1:${origin.port}" to this component's allowed_outbound_hosts in the manifest to allow it`,
    });
    await waitFor(() =>
      wisp.stderr.includes(
        `[closed] wisp: denied an outbound request to http://127.0.0.1:${origin.port}: add "http://127.0.0.1:${origin.port}" to allowed_outbound_hosts of [component.closed]`,
      ),
    );
    // Another port of an allowed host is another origin, denied as well.
    const otherPort = await through("/allowed", `http://127.0.0.1:1/hello`);
    expect(otherPort.status).toBe(502);
    expect(otherPort.text).toContain(
      'HTTP-request-denied: the host refused a request to http://127.0.0.1:1: add "http://127.0.0.1:1"',
    );
    // The denials never reached the upstream and the server serves on.
    expect((await through("/allowed", `http://127.0.0.1:${origin.port}/hello`)).status).toBe(200);
  });

  it("streams a response larger than a whole one may be (64 MiB) through a guest whose waits suspend", async () => {
    // The guest passes the body on as it arrives (pipe=1): it never holds all of it, nor does Wisp.
    const response = await fetch(
      `${wisp.url}/allowed?pipe=1&url=${encodeURIComponent(`http://127.0.0.1:${origin.port}/huge`)}`,
    );
    expect(response.status).toBe(200);
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) size += chunk.length;
    // The cap binds a body read whole (fetch-cap.test.ts); a guest reading it whole meets its own memory limit.
    expect(size).toBe(65 * 1024 * 1024);
  });

  it('reaches the app itself through http://self.alt when "self" is allowed, and only then', async () => {
    expect(await through("/selfish", "http://self.alt/pong")).toEqual({
      status: 200,
      text: "200 pong from the app itself",
    });
    const denied = await through("/closed", "http://self.alt/pong");
    expect(denied.status).toBe(502);
    // The guest learns it was denied and what to grant, though its engine drops the host's error code (sdk/internal/fetch-refusals.js).
    expect(denied.text).toContain(
      'failed: TypeError: HTTP-request-denied: the host refused a request to http://self.alt: add "self" to this component\'s allowed_outbound_hosts',
    );
    await waitFor(() =>
      wisp.stderr.includes(
        '[closed] wisp: denied an outbound request to the app itself (/pong): add "self" to allowed_outbound_hosts',
      ),
    );
    // "self" is the app, not any host: the component allowed only itself cannot reach the upstream.
    expect((await through("/selfish", `http://127.0.0.1:${origin.port}/hello`)).status).toBe(502);
  });

  it("refuses at start a malformed allowed_outbound_hosts pattern", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-outbound-bad-"));
    cpSync(join(repoRoot, "test/fixtures/apps/outbound"), dir, { recursive: true });
    copyFileSync(fixtureWasm("http-outbound"), join(dir, "outbound.wasm"));
    const result = await runWisp(["up", "--listen", "127.0.0.1:0", "--variable", "upstream_port=not-a-port"], {
      cwd: dir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error[GRANT_INVALID]");
    expect(result.stderr).toContain("component.allowed.allowed_outbound_hosts");
  });
});
