import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distUrl, repoRoot } from "../../../support/dist.js";
import { waitFor } from "../../../support/wait-for.js";
import type { JobHandle } from "../../../../src/engine/worker/job-handle.js";
import type { GuestSpec, JobOutcome } from "../../../../src/engine/worker/protocol.js";
import type { WorkerPool as Pool } from "../../../../src/engine/worker/worker-pool.js";

const { WorkerPool } = (await import(distUrl("engine/worker/worker-pool.js").href)) as {
  WorkerPool: typeof Pool;
};
const executorUrl = pathToFileURL(join(repoRoot, "test/support/executors/test-program.mjs")).href;

interface Result {
  status?: number;
  headers?: Array<[string, string]>;
  body: Buffer;
  outcome: JobOutcome;
}

function run(pool: Pool, payload: unknown, options: Partial<JobHandle> = {}): Promise<Result> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let status: number | undefined;
    let headers: Array<[string, string]> | undefined;
    pool.submit({
      guestId: "probe",
      payload,
      body: { inline: [new Uint8Array(0)] },
      timeoutMs: 5_000,
      onHead: (s, h) => {
        status = s;
        headers = h;
      },
      onData: (data, written) => {
        chunks.push(Buffer.from(data));
        written();
      },
      onDone: (outcome, last, head) =>
        resolve({
          status: head?.status ?? status,
          headers: head?.headers ?? headers,
          body: Buffer.concat([...chunks, ...(last ?? [])]),
          outcome,
        }),
      ...options,
    });
  });
}

describe("WorkerPool", () => {
  let pool: Pool;
  const logDir = mkdtempSync(join(tmpdir(), "wisp-pool-"));

  beforeAll(async () => {
    pool = new WorkerPool({ guests: [{ guestId: "probe", executorUrl, spec: { name: "p1" } }], logDir, size: 2 });
    await pool.start();
  });
  afterAll(() => pool.close(1_000));

  it("runs a job and streams its head and body back", async () => {
    const result = await run(pool, { mode: "echo" }, { body: { inline: [new TextEncoder().encode("ping")] } });
    expect(result.outcome).toEqual({ kind: "ok" });
    expect(result.status).toBe(200);
    expect(result.headers).toContainEqual(["x-guest", "p1"]);
    expect(result.body.toString()).toBe("ping");
  });

  it("streams a request body much larger than the window, with back-pressure", async () => {
    const total = 8 * 1024 * 1024;
    const result = await run(
      pool,
      { mode: "count" },
      {
        body: { streamed: true },
        pumpBody: (feeder) => {
          const chunk = new Uint8Array(64 * 1024);
          let sent = 0;
          const pump = () => {
            while (sent < total) {
              sent += chunk.length;
              if (!feeder.push(chunk.slice())) return;
            }
            feeder.end();
          };
          feeder.onDrain(pump);
          pump();
        },
      },
    );
    expect(result.body.toString()).toBe(String(total));
  });

  it("holds the guest back while the consumer has not written a window of response", async () => {
    const pending: Array<() => void> = [];
    let received = 0;
    const done = new Promise<JobOutcome>((resolve) =>
      pool.submit({
        guestId: "probe",
        payload: { mode: "big", chunks: 64 },
        body: { inline: [new Uint8Array(0)] },
        timeoutMs: 10_000,
        onHead: () => {},
        onData: (data, written) => {
          received += data.length;
          pending.push(written);
        },
        onDone: resolve,
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    // Nothing acknowledged: the guest must have stopped at about one window (1 MiB + one chunk).
    expect(received).toBeLessThanOrEqual((1 << 20) + (1 << 16));
    const drain = setInterval(() => pending.splice(0).forEach((w) => w()), 5);
    expect(await done).toEqual({ kind: "ok" });
    clearInterval(drain);
    expect(received).toBe(64 * 65536);
  });

  it("stops a guest at its deadline, and the pool goes on serving", async () => {
    const started = Date.now();
    const [looping, other] = await Promise.all([
      run(pool, { mode: "loop" }, { timeoutMs: 300 }),
      run(pool, { mode: "echo" }, { body: { inline: [new TextEncoder().encode("still here")] } }),
    ]);
    expect(looping.outcome).toMatchObject({ kind: "failed", status: 504 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(other.body.toString()).toBe("still here");
    const after = await run(pool, { mode: "echo" }, { body: { inline: [new TextEncoder().encode("again")] } });
    expect(after.body.toString()).toBe("again");
  });

  it("reports a guest error as a failed job with the error", async () => {
    const result = await run(pool, { mode: "throw" });
    expect(result.outcome).toMatchObject({ kind: "failed", status: 500 });
    expect((result.outcome as { message: string }).message).toContain("guest bug");
  });

  it("writes the guest's stdout and stderr to the component's log files", async () => {
    await run(pool, { mode: "log" });
    expect(readFileSync(join(logDir, "probe_stdout.txt"), "utf8")).toContain("to stdout\n");
    expect(readFileSync(join(logDir, "probe_stderr.txt"), "utf8")).toContain("to stderr\n");
  });

  it("fails start when a guest cannot be loaded", async () => {
    const broken = new WorkerPool({
      guests: [{ guestId: "broken", executorUrl: executorUrl + ".missing", spec: {} }],
      logDir,
      size: 1,
    });
    await expect(broken.start()).rejects.toThrow(/component broken/);
    await broken.close(0);
  });

  it("queues jobs submitted before its workers have loaded, and runs them once they have", async () => {
    let release: (guests: GuestSpec[]) => void = () => undefined;
    // The guests arrive late (main still preparing them): no worker may take a job meanwhile.
    const guests = new Promise<GuestSpec[]>((resolve) => (release = resolve));
    const late = new WorkerPool({ guests, logDir, size: 1 });
    const started = late.start();
    const result = run(late, { mode: "echo" }, { body: { inline: [new TextEncoder().encode("early")] } });
    await new Promise((r) => setTimeout(r, 300)); // the thread has booted by now
    release([{ guestId: "probe", executorUrl, spec: { name: "late" } }]);
    await started;
    expect((await result).body.toString()).toBe("early");
    expect((await result).headers).toContainEqual(["x-guest", "late"]);
    await late.close(0);
  });

  it("holds a job for a thread still booting rather than queue it behind a running one", async () => {
    let release: (guests: GuestSpec[]) => void = () => undefined;
    const guests = new Promise<GuestSpec[]>((resolve) => (release = resolve));
    const pool = new WorkerPool({ guests, logDir, size: 2 });
    const started = pool.start();
    await new Promise((r) => setTimeout(r, 300)); // the first thread has booted; the second starts once the guests come
    release([{ guestId: "probe", executorUrl, spec: { name: "held" } }]);
    // The first thread to load takes the endless job; the echo must wait for the second thread,
    // not queue behind it on the first (it would then run only once the deadline killed that job).
    const began = Date.now();
    const endless = run(pool, { mode: "loop" }, { timeoutMs: 4_000 });
    const echo = await run(pool, { mode: "echo" }, { body: { inline: [new TextEncoder().encode("not held up")] } });
    expect(echo.body.toString()).toBe("not held up");
    expect(Date.now() - began).toBeLessThan(3_000);
    expect((await endless).outcome).toMatchObject({ kind: "failed" });
    await started;
    await pool.close(0);
  });

  it("has its first thread import a preloaded module while the guests are still being prepared", async () => {
    // A module that says which thread evaluated it: the stand-in for a component's glue.
    const dir = mkdtempSync(join(tmpdir(), "wisp-pool-preload-"));
    const glue = join(dir, "glue.mjs");
    writeFileSync(
      glue,
      `import { writeFileSync } from "node:fs";
      import { threadId } from "node:worker_threads";
      writeFileSync(${JSON.stringify(dir)} + "/imported-on-" + threadId, "");`,
    );
    let release: (guests: GuestSpec[]) => void = () => undefined;
    const guests = new Promise<GuestSpec[]>((resolve) => (release = resolve));
    const early = new WorkerPool({ guests, logDir, size: 2 });
    const started = early.start();
    early.preload(pathToFileURL(glue).href);
    const imported = () => readdirSync(dir).filter((name) => name.startsWith("imported-on-"));
    // The guests have not arrived, and yet the first thread imports it; the second boots only once
    // the first has loaded the guests (see start), so nothing else has imported it.
    await waitFor(() => imported().length === 1, 10_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(imported()).toHaveLength(1);
    release([{ guestId: "probe", executorUrl, spec: { name: "preloaded" } }]);
    await started;
    expect((await run(early, { mode: "echo" })).headers).toContainEqual(["x-guest", "preloaded"]);
    await early.close(0);
  });

  it("starts nothing once closed, even when closed while it starts, so the process can exit", () => {
    // In a process of its own: a worker thread left running would keep it alive, which is the bug.
    const script = `
      const { WorkerPool } = await import(${JSON.stringify(distUrl("engine/worker/worker-pool.js").href)});
      const guests = [{ guestId: "probe", executorUrl: ${JSON.stringify(executorUrl)}, spec: {} }];
      const late = new Promise((r) => setTimeout(() => r(guests), 100));
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      // Closed while its threads boot or load the guests, and while the guests are still being prepared.
      for (const [pool, closeAfter] of [[new WorkerPool({ guests, logDir: ${JSON.stringify(logDir)}, size: 2 }), 0],
                                        [new WorkerPool({ guests: late, logDir: ${JSON.stringify(logDir)}, size: 2 }), 20]]) {
        const starting = pool.start();
        await sleep(closeAfter);
        await pool.close(0);
        await starting;
        await pool.start();
      }
      console.log("closed");`;
    const file = join(mkdtempSync(join(tmpdir(), "wisp-pool-close-")), "close.mjs");
    writeFileSync(file, script);
    const child = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 15_000 });
    expect(child.stderr).toBe("");
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stdout).toBe("closed\n");
  });
});
