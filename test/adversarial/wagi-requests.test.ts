import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

/**
 * Hostile requests against WAGI modules over a real server: a chunked body far past the
 * component's limit, a `Proxy:` header (httpoxy), and dot segments in the request path.
 */
const manifest = `spin_manifest_version = 2
[application]
name = "wagi-requests"

[[trigger.http]]
route = "/read-all"
component = "read-all"
executor = { type = "wagi" }
[component.read-all]
source = "${fixtureWasm("wagi-read-all")}"
[component.read-all.tool.wisp]
max_request_body = "5MiB"
timeout = "20s"

[[trigger.http]]
route = "/echo"
component = "echo"
executor = { type = "wagi" }
[component.echo]
source = "${fixtureWasm("wagi-echo")}"
[component.echo.tool.wisp]
max_request_body = "5MiB"
timeout = "20s"

[[trigger.http]]
route = "/env"
component = "env"
executor = { type = "wagi" }
[[trigger.http]]
route = "/a/..."
component = "env"
executor = { type = "wagi" }
[component.env]
source = "${fixtureWasm("wagi-env")}"
environment = { HTTP_PROXY = "http://proxy.from.manifest:3128" }
`;

/** POSTs `total` bytes chunked, as fast as the server takes them; what the client saw and when. */
function chunkedUpload(url: string, total: number): Promise<{ status?: number; error?: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: "POST", headers: { "transfer-encoding": "chunked" } }, (res) => {
      const status = res.statusCode;
      res.on("data", () => {});
      res.on("end", () => resolve({ status, ms: Date.now() - started }));
      res.on("error", (e) => resolve({ status, error: e.message, ms: Date.now() - started }));
      res.on("aborted", () => resolve({ status, error: "aborted", ms: Date.now() - started }));
    });
    req.on("error", (e) => resolve({ error: e.message, ms: Date.now() - started }));
    const chunk = Buffer.alloc(64 * 1024, 0x78);
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

/** One GET written as-is on a socket (fetch and curl would resolve `..` before sending it). */
function rawGet(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    );
    let text = "";
    socket.setEncoding("latin1").on("data", (d: string) => (text += d));
    socket.on("end", () => resolve(text)).on("error", reject);
  });
}

describe.each([
  ["inline where possible", []],
  ["workers only (--no-inline)", ["--no-inline"]],
])("hostile requests to WAGI modules: %s", (_mode, flags: string[]) => {
  let wisp: WispProcess & { url: string };
  let dir: string;
  const log = () => wisp.stdout + wisp.stderr;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "wisp-wagi-requests-"));
    writeFileSync(join(dir, "spin.toml"), manifest);
    wisp = await WispProcess.up(["-f", dir, ...flags]);
  });
  afterAll(async () => {
    await wisp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads a refused body on for a moment only: a client that never stops sending gets its 413, then its connection cut", async () => {
    const outcome = await new Promise<{ status?: number; closedAfterMs: number }>((resolve) => {
      const started = Date.now();
      let status: number | undefined;
      const req = httpRequest(
        wisp.url + "/read-all",
        { method: "POST", headers: { "transfer-encoding": "chunked" } },
        (res) => {
          status = res.statusCode;
          res.resume();
        },
      );
      const chunk = Buffer.alloc(1024 * 1024, 0x78);
      const more = setInterval(() => req.write(chunk), 20);
      req.on("error", () => {});
      req.on("close", () => {
        clearInterval(more);
        resolve({ status, closedAfterMs: Date.now() - started });
      });
    });
    expect(outcome.status).toBe(413);
    // Cut after the linger (2 s), long before the request's own limits.
    expect(outcome.closedAfterMs).toBeLessThan(10_000);
  });

  it("answers a 20 MB chunked body over a 5 MiB limit with 413 at once, and the module's read fails instead of waiting", async () => {
    const before = log().split("read-all: done").length;
    const result = await chunkedUpload(wisp.url + "/read-all", 20_000_000);
    expect(result.status).toBe(413);
    // The deadline is 20 s: an answer only then means the module was left waiting on stdin.
    expect(result.ms).toBeLessThan(8_000);
    // The module saw its read fail and ended (it logs that), rather than being stopped at its deadline.
    await waitFor(() => log().split("read-all: done").length > before, 8_000);
    expect(log()).toMatch(/read-all: done after \d+ bytes \(read error\)/);
    expect(log()).not.toContain("deadline exceeded");
    // And the server goes on: a body within the limit is read whole.
    const fits = await fetch(wisp.url + "/read-all", { method: "POST", body: "x".repeat(1000) });
    expect(await fits.text()).toBe("read 1000 bytes\n");
  });

  it("cuts the connection of a module that answered before its body passed the limit, never a clean short body", async () => {
    const result = await chunkedUpload(wisp.url + "/echo", 20_000_000);
    // The echo's head went out as it started; what follows must not look like a whole response.
    expect(result.error).toBeDefined();
    expect(result.ms).toBeLessThan(8_000);
    expect(log()).not.toContain("deadline exceeded");
  });

  it("never passes a client's Proxy header as HTTP_PROXY (httpoxy)", async () => {
    const response = await fetch(wisp.url + "/env", {
      headers: { proxy: "http://attacker.example:8080", "x-other": "kept" },
    });
    const body = await response.text();
    expect(body).toContain("ENV HTTP_X_OTHER=kept");
    expect(body).not.toContain("attacker.example");
    // The component's own environment (the app author's) is left as it is.
    expect(body).toContain("ENV HTTP_PROXY=http://proxy.from.manifest:3128");
  });

  it("routes a path with dot segments as it was sent, as Spin does: /a/../env never reaches /env", async () => {
    const port = Number(new URL(wisp.url).port);
    const up = await rawGet(port, "/a/../env");
    expect(up).toMatch(/^HTTP\/1\.1 200/);
    expect(up).toContain("ENV X_MATCHED_ROUTE=/a/...");
    expect(up).toContain("ENV X_RAW_PATH_INFO=/../env");
    expect(await rawGet(port, "/x/../env")).toMatch(/^HTTP\/1\.1 404/);
    expect(await rawGet(port, "/x/%2e%2e/env")).toMatch(/^HTTP\/1\.1 404/);
  });
});
