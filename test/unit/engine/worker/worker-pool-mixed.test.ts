import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { distUrl, repoRoot } from "../../../support/dist.js";
import type { JobHandle } from "../../../../src/engine/worker/job-handle.js";
import type { HostCallHandlers, JobOutcome } from "../../../../src/engine/worker/protocol.js";
import type { WorkerPool as Pool } from "../../../../src/engine/worker/worker-pool.js";

const { WorkerPool } = (await import(distUrl("engine/worker/worker-pool.js").href)) as { WorkerPool: typeof Pool };
const executors = join(repoRoot, "test/support/executors");
const logDir = mkdtempSync(join(tmpdir(), "wisp-pool-mixed-"));

/** What a job answered, and when (ms after `since`). */
interface Ended {
  text: string;
  outcome: JobOutcome;
  at: number;
}

function run(pool: Pool, guestId: string, payload: unknown, since: number, chainDepth = 0): Promise<Ended> {
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    const job: JobHandle = {
      guestId,
      payload,
      body: { inline: [] },
      timeoutMs: 10_000,
      chainDepth,
      onHead: () => {},
      onData: (data, written) => {
        chunks.push(data);
        written();
      },
      onDone: (outcome, last) =>
        resolve({
          text: Buffer.concat([...chunks, ...(last ?? [])]).toString(),
          outcome,
          at: performance.now() - since,
        }),
    };
    pool.submit(job);
  });
}

/** A pool serving a concurrent guest ("wait") and a synchronous one ("sync"). */
function mixedPool(size: number, hostCalls?: HostCallHandlers): Pool {
  return new WorkerPool({
    guests: [
      {
        guestId: "wait",
        executorUrl: pathToFileURL(join(executors, "waiting-program.mjs")).href,
        spec: {},
        concurrent: true,
      },
      { guestId: "sync", executorUrl: pathToFileURL(join(executors, "test-program.mjs")).href, spec: { name: "s" } },
    ],
    logDir,
    size,
    hostCalls,
  });
}

/** Long against a loaded machine's noise: held back, a job would end a whole WAIT_MS later. */
const WAIT_MS = 1_000;

describe("WorkerPool with concurrent and synchronous guests together", () => {
  let pool: Pool | undefined;
  afterEach(async () => {
    await pool?.close(0);
    pool = undefined;
  });

  it("does not hold concurrent jobs behind a synchronous one that waits for a thread, and gives that one a thread once one drains", async () => {
    pool = mixedPool(2);
    await pool.start();
    const since = performance.now();
    // Both threads hold waiting jobs: the synchronous job can go to neither.
    const first = Array.from({ length: 4 }, (_, i) => run(pool!, "wait", { ms: WAIT_MS, label: `a${i}` }, since));
    const sync = run(pool, "sync", { mode: "echo" }, since);
    const behind = Array.from({ length: 4 }, (_, i) => run(pool!, "wait", { ms: WAIT_MS, label: `b${i}` }, since));

    const ended = await Promise.all([...first, sync, ...behind]);
    expect(ended.map((e) => e.outcome.kind)).toEqual(Array(9).fill("ok"));
    // The jobs behind the synchronous one started at once, on the thread that did not drain:
    // held behind it, they would have waited for the first ones to end (2 x WAIT_MS).
    for (const job of await Promise.all(behind)) expect(job.at).toBeLessThan(WAIT_MS * 1.9);
    // The synchronous job ran as soon as the drained thread's jobs ended.
    const { at } = await sync;
    expect(at).toBeGreaterThanOrEqual(WAIT_MS * 0.9);
    expect(at).toBeLessThan(WAIT_MS * 1.9);
  });

  it("still gives a draining thread the requests its own jobs wait on (self requests)", async () => {
    const since = performance.now();
    pool = mixedPool(1, {
      "test.child": async (_args, caller) =>
        (await run(pool!, "wait", { ms: 50, label: "child" }, since, caller.chainDepth + 1)).text,
    });
    await pool.start();
    const parent = run(pool, "wait", { child: true, label: "parent" }, since);
    // Queued while the parent waits for its child: the only thread drains for it.
    const sync = run(pool, "sync", { mode: "echo" }, since);
    const [parentEnded, syncEnded] = await Promise.all([parent, sync]);
    expect(parentEnded).toMatchObject({ text: "parent", outcome: { kind: "ok" } });
    expect(syncEnded.outcome).toEqual({ kind: "ok" });
    // Held back by the draining thread, the child would have waited for its parent: until the deadline.
    expect(parentEnded.at).toBeLessThan(3_000);
  });
});
