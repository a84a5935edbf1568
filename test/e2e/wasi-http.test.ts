import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/dist.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

const appDir = join(repoRoot, "test/fixtures/apps/http");

interface ProbeReport {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  served: number;
  buffer0: number;
}

/** Peak resident memory of a process (Linux), in bytes. */
function peakRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmHWM:"))!;
  return Number(line.replace(/\D/g, "")) * 1024;
}

// Every scenario runs twice: as served by default (small components' requests on the server's own
// thread, see InlineRunner; the JavaScript probe is too big for that) and with --no-inline.
describe.each([
  ["inline where possible", []],
  ["workers only (--no-inline)", ["--no-inline"]],
])("wisp up: wasi:http executor, end to end over HTTP: %s", (_mode, flags: string[]) => {
  let wisp: WispProcess & { url: string };

  beforeAll(async () => {
    wisp = await WispProcess.up(["-f", appDir, ...flags]);
  });
  afterAll(async () => {
    await wisp?.stop();
  });

  const get = (path: string, init?: RequestInit) => fetch(wisp.url + path, init);
  const probe = async (path: string, init?: RequestInit) => (await (await get(path, init)).json()) as ProbeReport;

  it("lists the routes of components, static responses and WAGI modules", () => {
    expect(wisp.stdout).toContain(`probe: ${wisp.url}/probe (wildcard)`);
    expect(wisp.stdout).toContain(`probe: ${wisp.url}/users/:id/posts/:post`);
    expect(wisp.stdout).toContain(`hello: ${wisp.url}/hello\n`);
  });

  it("passes Spin's headers, exactly, and drops spin-* headers the client sent", async () => {
    const report = await probe("/probe/a/b?x=1", {
      headers: { "spin-full-url": "forged", "spin-anything": "forged", "x-custom": "kept" },
    });
    const spin = Object.fromEntries(Object.entries(report.headers).filter(([name]) => name.startsWith("spin-")));
    const port = new URL(wisp.url).port;
    expect(spin).toEqual({
      "spin-full-url": `${wisp.url}/probe/a/b?x=1`,
      "spin-path-info": "/a/b",
      "spin-matched-route": "/probe/...",
      "spin-base-path": "/",
      "spin-component-route": "/probe",
      "spin-raw-component-route": "/probe/...",
      "spin-client-addr": expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    });
    expect(report.headers["x-custom"]).toBe("kept");
    expect(report.url).toBe(`http://127.0.0.1:${port}/probe/a/b?x=1`);
  });

  it("adds spin-path-match-<name> for each :name segment", async () => {
    const report = await probe("/users/7/posts/9");
    expect(report.headers["spin-path-match-id"]).toBe("7");
    expect(report.headers["spin-path-match-post"]).toBe("9");
    expect(report.headers["spin-path-info"]).toBe("");
    expect(report.headers["spin-matched-route"]).toBe("/users/:id/posts/:post");
  });

  it("gives every request a fresh instance, under concurrency too", async () => {
    const reports = await Promise.all(Array.from({ length: 24 }, () => probe("/probe/count")));
    for (let i = 0; i < 6; i++) reports.push(await probe("/probe/count"));
    expect(new Set(reports.map((r) => `${r.served}/${r.buffer0}`))).toEqual(new Set(["1/1"]));
  });

  it("returns the component's status and headers, and a request body", async () => {
    const teapot = await get("/probe/status");
    expect(teapot.status).toBe(418);
    expect(teapot.headers.get("x-probe")).toBe("yes");
    expect(await teapot.text()).toBe("teapot\n");
    const posted = await probe("/probe/form", { method: "POST", body: "a=1&b=2" });
    expect(posted).toMatchObject({ method: "POST", body: "a=1&b=2" });
  });

  it("serves a component another toolchain made (wasm-tools, from canonical-ABI WAT)", async () => {
    for (let i = 0; i < 3; i++) {
      const response = await get("/wat");
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("hello from WAT\n");
    }
  });

  it("finishes a component that computes for longer than an inline run may, with nothing of an abandoned run in its answer", async () => {
    const busy = await get("/busy");
    expect(busy.status).toBe(200);
    expect(await busy.text()).toBe("started\nfinished\n");
    expect(await (await get("/busy")).text()).toBe("started\nfinished\n");
    expect(await (await get("/wat")).text()).toBe("hello from WAT\n");
  });

  it("gives a component its files read-only at / through wasi:filesystem, and nothing outside them", async () => {
    const read = async (query: string) => (await get(`/files?${query}`)).text();
    expect(await read("hello.txt")).toBe("hello from a granted file\n");
    expect(await read("missing.txt")).toBe("denied");
    expect(await read("../spin.toml")).toBe("denied");
    expect(await read("/etc/passwd")).toBe("denied");
    expect(await read("outside-link")).toBe("denied");
  });

  it("fails a component's memory growth past its cap inside the guest: a 500, and the server lives", async () => {
    expect((await get("/capped/hog")).status).toBe(500);
    // Without the cap the same code succeeds, so the cap is what stopped it.
    expect(await (await get("/probe/hog")).text()).toBe("allocated 24 blocks\n");
    expect((await get("/capped/after")).status).toBe(200);
  });

  it("serves a static_response without running anything", async () => {
    const moved = await get("/redirect", { redirect: "manual" });
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe("/probe/moved");
    expect(await moved.text()).toBe("moved\n");
  });

  it("streams a 100 MB upload back through the component with bounded memory", async () => {
    const chunk = createHash("sha512").update("wisp").digest();
    const size = 100 * 1024 * 1024;
    const send = () =>
      new Promise<{ bytes: number; digest: string }>((resolve, reject) => {
        const req = httpRequest(
          wisp.url + "/probe/echo",
          {
            agent: false,
            method: "POST",
            headers: { "content-type": "application/octet-stream", "content-length": size },
          },
          (res) => {
            const hash = createHash("sha256");
            let bytes = 0;
            res.on("data", (d: Buffer) => {
              bytes += d.length;
              hash.update(d);
            });
            res.on("end", () => resolve({ bytes, digest: hash.digest("hex") }));
          },
        );
        req.on("error", reject);
        const block = Buffer.alloc(1024 * 1024);
        for (let i = 0; i < block.length; i += chunk.length) chunk.copy(block, i);
        let sent = 0;
        const pump = () => {
          while (sent < size) {
            sent += block.length;
            if (!req.write(block)) return void req.once("drain", pump);
          }
          req.end();
        };
        pump();
      });
    await send(); // warm: the first request also compiles and fills the memory pool
    const before = peakRss(wisp.child.pid!);
    const expected = createHash("sha256");
    const block = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < block.length; i += chunk.length) chunk.copy(block, i);
    for (let i = 0; i < 100; i++) expected.update(block);
    const echoed = await send();
    expect(echoed.bytes).toBe(size);
    expect(echoed.digest).toBe(expected.digest("hex"));
    // Buffering the body anywhere would raise the peak by at least its 100 MB.
    expect(peakRss(wisp.child.pid!) - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("turns a handler's exception into a 500 and logs it under the component's name", async () => {
    const failed = await get("/probe/throw");
    expect(failed.status).toBe(500);
    await waitFor(() => wisp.stderr.includes("[probe]") && wisp.stderr.includes("the probe was asked to fail"));
    expect((await get("/probe/after")).status).toBe(200);
  });

  it("stops a component that loops at its deadline; other requests are served meanwhile", async () => {
    const looping = get("/slow/loop");
    const others = await Promise.all(Array.from({ length: 5 }, () => get("/hello").then((r) => r.status)));
    expect(others).toEqual([200, 200, 200, 200, 200]);
    expect((await looping).status).toBe(504);
    await waitFor(() => /\[slow-probe\] request failed: deadline exceeded/.test(wisp.stderr));
    expect((await get("/slow/after-loop")).status).toBe(200);
  });
});
