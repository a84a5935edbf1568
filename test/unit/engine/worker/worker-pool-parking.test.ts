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
const executorUrl = pathToFileURL(join(repoRoot, "test/support/executors/chain-program.mjs")).href;
const logDir = mkdtempSync(join(tmpdir(), "wisp-pool-parking-"));

function run(pool: Pool, payload: unknown, chainDepth = 0): Promise<{ text: string; outcome: JobOutcome }> {
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    const job: JobHandle = {
      guestId: "chain",
      payload,
      body: { inline: [] },
      timeoutMs: 10_000,
      chainDepth,
      onHead: () => {},
      onData: (data, written) => {
        chunks.push(data);
        written();
      },
      onDone: (outcome, last) => resolve({ text: Buffer.concat([...chunks, ...(last ?? [])]).toString(), outcome }),
    };
    pool.submit(job);
  });
}

/** A pool whose "test.child" host call parks the caller (unless `park` is false) and runs the child job on the pool itself. */
function chainPool(size: number, options: { maxParked?: number; park?: boolean; extra?: HostCallHandlers } = {}): Pool {
  const pool: Pool = new WorkerPool({
    guests: [{ guestId: "chain", executorUrl, spec: {} }],
    logDir,
    size,
    maxParked: options.maxParked,
    hostCalls: {
      "test.child": async (args, caller) => {
        if (options.park !== false && !caller.park()) return "refused";
        return (await run(pool, args, caller.chainDepth + 1)).text;
      },
      ...options.extra,
    },
  });
  return pool;
}

describe("WorkerPool: a thread whose guest waits on another job of the pool is parked", () => {
  let pool: Pool | undefined;
  afterEach(async () => {
    await pool?.close(0);
    pool = undefined;
  });

  it("runs a chain of nested jobs deeper than it has threads, in place of the waiting ones", async () => {
    pool = chainPool(1);
    await pool.start();
    const started = Date.now();
    const result = await run(pool, { depth: 4 });
    expect(result).toEqual({ outcome: { kind: "ok" }, text: "4 > 3 > 2 > 1 > bottom" });
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("deadlocks until the deadline without parking: the case it exists for", async () => {
    pool = chainPool(1, { park: false });
    await pool.start();
    const result = await Promise.race([
      run(pool, { depth: 1 }),
      new Promise((resolve) => setTimeout(() => resolve("stuck"), 1_500)),
    ]);
    expect(result).toBe("stuck");
  });

  it("refuses to park more than maxParked threads: the call fails at once instead of waiting", async () => {
    pool = chainPool(1, { maxParked: 2 });
    await pool.start();
    const result = await run(pool, { depth: 5 });
    // Two parked (depths 0 and 1); the guest at depth 2 may not wait, and gets the refusal.
    expect(result.text).toBe("5 > 4 > 3 > refused");
  });

  it("takes back the job waiting behind one that parks, and runs it on another thread", async () => {
    let release: (value: string) => void = () => undefined;
    let parkedNow: () => void = () => undefined;
    const parked = new Promise<void>((resolve) => (parkedNow = resolve));
    pool = chainPool(1, {
      extra: {
        "test.hold": async (_args, caller) => {
          caller.park();
          parkedNow();
          return new Promise<string>((resolve) => (release = resolve));
        },
      },
    });
    await pool.start();
    const holding = run(pool, { hold: true });
    // Queued on the same (only) thread, behind the job that is about to wait.
    const behind = run(pool, { depth: 0 });
    await parked;
    expect((await behind).text).toBe("bottom");
    release("released");
    expect((await holding).text).toBe("released");
  });
});
