import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/dist.js";
import { waitFor } from "../support/wait-for.js";
import { runWisp, WispProcess } from "../support/wisp-process.js";

const appDir = join(repoRoot, "test/fixtures/apps/wagi");

// Every scenario runs twice: as served by default (small guests' requests on the server's own
// thread, see InlineRunner) and with --no-inline (every request on a worker thread).
describe.each([
  ["inline where possible", []],
  ["workers only (--no-inline)", ["--no-inline"]],
])("wisp up: WAGI executor, end to end over HTTP: %s", (_mode, flags: string[]) => {
  let wisp: WispProcess & { url: string };

  beforeAll(async () => {
    wisp = await WispProcess.up(["-f", appDir, ...flags]);
  });
  afterAll(async () => {
    await wisp?.stop();
  });

  const get = (path: string, init?: RequestInit) => fetch(wisp.url + path, init);

  it("prints each route as a full URL with its component, as Spin does", () => {
    expect(wisp.stdout).toContain(`hello: ${wisp.url}/hello\n`);
    expect(wisp.stdout).toContain(`env: ${wisp.url}/env (wildcard)`);
    expect(wisp.stdout).not.toContain("hidden:");
  });

  it("serves a C module and an AssemblyScript module", async () => {
    const hello = await get("/hello");
    expect(hello.status).toBe(200);
    expect(hello.headers.get("content-type")).toBe("text/plain");
    expect(await hello.text()).toBe("hello from C\n");
    const as = await get("/as");
    expect(as.status).toBe(200);
    expect(await as.text()).toContain("hello from AssemblyScript");
  });

  it("answers other requests while a guest sleeps: a sleep never holds up the server's own thread", async () => {
    // Early in the file: a worker replaced after a killed guest (below) is a worker less while it boots.
    const order: string[] = [];
    const sleeping = get("/sleep").then(async (r) => order.push(`sleep ${r.status} ${await r.text()}`));
    // Sent once the sleeper has surely started: its sleep is 2 s, a wide margin on a loaded machine.
    await new Promise((r) => setTimeout(r, 100));
    await get("/hello").then((r) => order.push(`hello ${r.status}`));
    await sleeping;
    expect(order).toEqual(["hello 200", "sleep 200 slept\n"]);
  });

  it("answers the health check, 404s what no route matches, and never reaches a private component", async () => {
    const health = await get("/.well-known/spin/health");
    expect(health.status).toBe(200);
    expect(await (await get("/.well-known/spin/info")).json()).toEqual({ name: "wagi-e2e" });
    expect((await get("/.well-known/spin/other")).status).toBe(404);
    expect(await health.text()).toBe("OK");
    expect((await get("/nothing-here")).status).toBe(404);
    expect((await get("/hidden")).status).toBe(404);
  });

  it("gives every request a fresh instance: globals, memory and tables start over, under concurrency too", async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => get("/counter").then((r) => r.text())));
    for (let i = 0; i < 10; i++) answers.push(await (await get("/counter")).text());
    expect(new Set(answers)).toEqual(new Set(["global=1 memory=1 table=1\n"]));
    // A module that writes no table keeps its instance between requests, reset to fresh after each.
    const reused = await Promise.all(Array.from({ length: 40 }, () => get("/state").then((r) => r.text())));
    for (let i = 0; i < 10; i++) reused.push(await (await get("/state")).text());
    expect(new Set(reused)).toEqual(new Set(["global=1 data=1 zeroed=1\n"]));
  });

  it("passes the CGI variables, Spin's routing variables, the manifest's environment and nothing of the host's", async () => {
    const response = await get("/env/a/b%20c?x=1&y=two%20words", {
      headers: { "x-custom": "yes", "spin-full-url": "forged" },
    });
    const lines = (await response.text()).split("\n");
    const env = new Map(
      lines.filter((l) => l.startsWith("ENV ")).map((l) => l.slice(4).split(/=(.*)/s, 2) as [string, string]),
    );
    const args = lines.filter((l) => l.startsWith("ARG "));
    expect(env.get("REQUEST_METHOD")).toBe("GET");
    expect(env.get("PATH_INFO")).toBe("/a/b c");
    expect(env.get("X_RAW_PATH_INFO")).toBe("/a/b%20c");
    expect(env.get("SCRIPT_NAME")).toBe("/env");
    expect(env.get("QUERY_STRING")).toBe("x=1&y=two%20words");
    expect(env.get("X_MATCHED_ROUTE")).toBe("/env/...");
    expect(env.get("X_RAW_COMPONENT_ROUTE")).toBe("/env/...");
    expect(env.get("X_COMPONENT_ROUTE")).toBe("/env");
    expect(env.get("X_FULL_URL")).toBe(`${wisp.url}/env/a/b%20c?x=1&y=two%20words`);
    expect(env.get("SERVER_PROTOCOL")).toBe("HTTP/1.1");
    expect(env.get("HTTP_X_CUSTOM")).toBe("yes");
    expect(env.has("HTTP_SPIN_FULL_URL")).toBe(false);
    expect(env.get("GREETING")).toBe("hi from the manifest");
    expect(env.has("PATH")).toBe(false);
    expect(env.has("HOME")).toBe(false);
    expect(args).toEqual(["ARG 0=/env", "ARG 1=x=1", "ARG 2=y=two words"]);
  });

  it("matches :name segments and expands the executor's argv template", async () => {
    const text = await (await get("/users/42/posts/7?q=1")).text();
    expect(text).toContain("ENV X_MATCHED_ROUTE=/users/:id/posts/:post\n");
    expect(text).toContain("ENV X_PATH_MATCH_ID=42\n");
    expect(text).toContain("ENV X_PATH_MATCH_POST=7\n");
    expect(text.split("\n").filter((l) => l.startsWith("ARG "))).toEqual([
      "ARG 0=prog",
      "ARG 1=/users/:id/posts/:post",
      "ARG 2=--args",
      "ARG 3=q=1",
    ]);
  });

  it("streams a large body through stdin and stdout unchanged", async () => {
    const body = randomBytes(20 * 1024 * 1024);
    const response = await get("/echo", { method: "POST", body });
    expect(response.status).toBe(200);
    // Streamed as the guest writes it: its length is not known when the head goes out.
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    const echoed = Buffer.from(await response.arrayBuffer());
    expect(echoed.length).toBe(body.length);
    expect(createHash("sha256").update(echoed).digest("hex")).toBe(createHash("sha256").update(body).digest("hex"));
  });

  it("sends a response that is whole when its head is with a content-length, as Spin does, not chunked", async () => {
    const hello = await get("/hello");
    expect(hello.headers.get("content-length")).toBe("13");
    expect(hello.headers.get("transfer-encoding")).toBeNull();
    expect(await hello.text()).toBe("hello from C\n");
    const head = await get("/hello", { method: "HEAD" });
    expect(head.headers.get("content-length")).toBe("13");
    expect(await head.text()).toBe("");
  });

  it("sends a whole response's bytes unchanged, every byte value in its body", async () => {
    const body = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(4096)]);
    const echoed = await get("/echo", { method: "POST", body });
    expect(echoed.headers.get("content-length")).toBe(String(body.length));
    expect(Buffer.from(await echoed.arrayBuffer()).equals(body)).toBe(true);
  });

  it("echoes a 1 MiB body unchanged, read off the socket and written by the guest in many chunks", async () => {
    // The largest body that runs inline: its chunks reach the guest, and the guest's 64 KiB
    // writes reach the client, without being joined on the way. Inline, the response is whole
    // when it ends (a content-length); from a worker, one this large streams.
    const body = randomBytes(1024 * 1024);
    const echoed = await get("/echo", { method: "POST", body });
    expect(echoed.headers.get("content-length")).toBe(flags.length === 0 ? String(body.length) : null);
    expect(Buffer.from(await echoed.arrayBuffer()).equals(body)).toBe(true);
  });

  it("refuses a body over the component's limit with 413, declared or streamed", async () => {
    const declared = await get("/small-echo", { method: "POST", body: "x".repeat(2048) });
    expect(declared.status).toBe(413);
    expect(await declared.text()).toContain("small-echo");
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        wisp.url + "/small-echo",
        { method: "POST", headers: { "transfer-encoding": "chunked" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end("y".repeat(4096));
    });
    expect(streamed).toBe(413);
    expect(await (await get("/small-echo", { method: "POST", body: "fits" })).text()).toBe("fits");
  });

  it("calls the executor's entrypoint instead of _start when the route names one", async () => {
    expect(await (await get("/entry")).text()).toBe("start\n");
    expect(await (await get("/entry-alt")).text()).toBe("alt\n");
  });

  it("follows the CGI output rules: status, location, a missing content-type, a bad status", async () => {
    const created = await get("/cases?status");
    expect(created.status).toBe(201);
    expect(await created.text()).toBe("created\n");
    const moved = await get("/cases?location", { redirect: "manual" });
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBe("/elsewhere");
    expect((await get("/cases?nohead")).status).toBe(500);
    expect((await get("/cases?badstatus")).status).toBe(502);
    expect((await get("/cases?exit3")).status).toBe(500);
    const fine = await get("/cases");
    expect(fine.headers.get("x-case")).toBe("default");
  });

  it("writes the module's stderr to the component's log file and, prefixed, to the terminal", async () => {
    expect(await (await get("/cases?stderr")).text()).toBe("logged\n");
    await waitFor(() => wisp.stderr.includes("[cases] a line for the log"));
    expect(readFileSync(join(appDir, ".wisp/logs/cases_stderr.txt"), "utf8")).toContain("a line for the log\n");
  });

  it("serves the granted files read-only at / and nothing else", async () => {
    const read = async (path: string) => (await get(`/files?${path}`)).text();
    expect(await read("/static/hello.txt")).toBe("hello from a granted file\n");
    expect(await read("/data/one.txt")).toBe("data one\n");
    expect(await read("/data/skip.txt")).toMatch(/^ERR /);
    expect(await read("/static/outside-link")).toMatch(/^ERR /);
    expect(await read("/../../../etc/passwd")).toMatch(/^ERR /);
    expect(await read("/static/../../etc/hostname")).toMatch(/^ERR /);
    expect(await read("write:/static/new.txt")).toMatch(/^ERR /);
  });

  it("turns a trap into a 500 with an empty body, logs the trap with its backtrace, and serves on", async () => {
    const trapped = await get("/trap");
    expect(trapped.status).toBe(500);
    expect(await trapped.text()).toBe("");
    await waitFor(() => wisp.stderr.includes("[trap]"));
    expect(wisp.stderr).toMatch(/\[trap\] request failed: trap: unreachable/);
    expect(wisp.stderr).toContain("explode");
    expect((await get("/hello")).status).toBe(200);
  });

  it("stops a guest that loops at its deadline without disturbing other requests", async () => {
    const started = Date.now();
    const looping = get("/loop");
    const others = await Promise.all(Array.from({ length: 10 }, () => get("/hello").then((r) => r.status)));
    expect(others.every((s) => s === 200)).toBe(true);
    const response = await looping;
    expect(response.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(10_000);
    await waitFor(() => /\[loop\] request failed: deadline exceeded/.test(wisp.stderr));
    expect((await get("/hello")).status).toBe(200);
  });

  it("finishes a guest that computes for longer than an inline run may, with nothing of an abandoned run in its answer", async () => {
    const busy = await get("/busy");
    expect(busy.status).toBe(200);
    expect(await busy.text()).toBe("started\nfinished\n");
    expect(await (await get("/busy")).text()).toBe("started\nfinished\n");
    expect((await get("/hello")).status).toBe(200);
  });

  it("fails memory growth past the component's cap inside the guest: a 500, and the server lives", async () => {
    expect((await get("/hog")).status).toBe(500);
    expect((await get("/hello")).status).toBe(200);
  });

  it("refuses a second server on the same port with a clear error, not a stack trace", async () => {
    const port = new URL(wisp.url).port;
    const second = await runWisp(["up", "-f", appDir, "--listen", `127.0.0.1:${port}`]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("error[PORT_IN_USE]");
    expect(second.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("wisp up: shutdown", () => {
  it("on SIGTERM stops accepting, lets the in-flight request finish, and exits 0", async () => {
    const wisp = await WispProcess.up(["-f", appDir]);
    const response = new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        wisp.url + "/echo",
        { method: "POST", headers: { "transfer-encoding": "chunked" } },
        (res) => {
          let text = "";
          res
            .setEncoding("utf8")
            .on("data", (d: string) => (text += d))
            .on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.write("first half, ");
      setTimeout(() => {
        void wisp.stop("SIGTERM");
        setTimeout(() => req.end("second half"), 300);
      }, 300);
    });
    expect(await response).toBe("first half, second half");
    expect(await wisp.exited).toBe(0);
  });
});
