import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { distUrl, repoRoot } from "../../../support/dist.js";
import type * as GuestThreads from "../../../../src/engine/worker/guest-thread.js";
import type { WorkerPool as Pool } from "../../../../src/engine/worker/worker-pool.js";

// From dist, as the pool runs there: the thread started early and the pool share one module.
const { startGuestThread, startGuestThreadEarly } = (await import(
  distUrl("engine/worker/guest-thread.js").href
)) as typeof GuestThreads;
const { WorkerPool } = (await import(distUrl("engine/worker/worker-pool.js").href)) as { WorkerPool: typeof Pool };
const workerEntry = distUrl("engine/worker/worker-main.js");
const executorUrl = pathToFileURL(join(repoRoot, "test/support/executors/test-program.mjs")).href;

describe("a guest thread started early", () => {
  it("is the thread the next pool takes, and that pool loads its guests on it and serves", async () => {
    const early = startGuestThreadEarly(workerEntry).threadId;
    const logDir = mkdtempSync(join(tmpdir(), "wisp-early-"));
    const pool = new WorkerPool({
      guests: [{ guestId: "probe", executorUrl, spec: { name: "p1" } }],
      logDir,
      size: 1,
      entry: workerEntry,
    });
    try {
      await pool.start();
      // The pool took it: another thread asked for now is a new one.
      const other = startGuestThread(workerEntry);
      expect(other.worker.threadId).not.toBe(early);
      await other.worker.terminate();
      // The guest's log reaches the folder the pool was given after the thread had booted.
      const outcome = await new Promise((resolve) =>
        pool.submit({
          guestId: "probe",
          payload: { mode: "log" },
          body: { inline: [new Uint8Array(0)] },
          timeoutMs: 5_000,
          onHead: () => undefined,
          onData: (_data, written) => written(),
          onDone: resolve,
        }),
      );
      expect(outcome).toEqual({ kind: "ok" });
      expect(readFileSync(join(logDir, "probe_stdout.txt"), "utf8")).toContain("to stdout\n");
    } finally {
      await pool.close(1_000);
    }
  });

  it("is handed to the first thread asked for with the same entry, once", async () => {
    const early = startGuestThreadEarly(workerEntry).threadId;
    expect(startGuestThreadEarly(workerEntry).threadId).toBe(early);
    const taken = startGuestThread(workerEntry);
    const next = startGuestThread(workerEntry);
    expect(taken.worker.threadId).toBe(early);
    expect(next.worker.threadId).not.toBe(early);
    await Promise.all([taken.worker.terminate(), next.worker.terminate()]);
  });

  it("is not handed out once it died, and its death is no error on main", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-early-bad-"));
    const failing = pathToFileURL(join(dir, "fails.mjs"));
    writeFileSync(failing, "throw new Error('boom at boot');\n");
    const early = startGuestThreadEarly(failing).threadId;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const thread = startGuestThread(failing);
    thread.worker.on("error", () => undefined); // this one fails at boot too
    // A new thread: the dead one's id reads -1.
    expect(thread.worker.threadId).toBeGreaterThan(0);
    expect(thread.worker.threadId).not.toBe(early);
    await thread.worker.terminate();
  });

  it("does not keep a process alive that never took it", () => {
    // A file, not --eval: a thread inherits the process's flags, and --input-type fails its entry.
    const script = join(mkdtempSync(join(tmpdir(), "wisp-early-exit-")), "start.mjs");
    writeFileSync(
      script,
      `const { startGuestThreadEarly } = await import(${JSON.stringify(distUrl("engine/worker/guest-thread.js").href)});
      const thread = startGuestThreadEarly();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      console.log(thread.threadId > 0 ? "alive" : "dead");`,
    );
    const child = spawnSync(process.execPath, [script], { timeout: 20_000, encoding: "utf8" });
    expect(child.stdout).toBe("alive\n");
    expect(child.status).toBe(0);
  });
});
