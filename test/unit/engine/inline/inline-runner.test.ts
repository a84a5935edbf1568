import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InlineRunner } from "../../../../src/engine/inline/inline-runner.js";
import { beforeBlocking } from "../../../../src/engine/io/before-blocking.js";
import { NeedsWorker, type InlineProgram } from "../../../../src/engine/inline/inline-program.js";
import type { JobHandle } from "../../../../src/engine/worker/job-handle.js";
import type { JobIO } from "../../../../src/engine/worker/job.js";
import type { JobOutcome } from "../../../../src/engine/worker/protocol.js";
import { ComponentLog } from "../../../../src/observability/component-log.js";

const encode = (text: string) => new TextEncoder().encode(text);

/** A job that records what reaches the client. */
function job(guestId = "g", body: JobHandle["body"] = { inline: [encode("ping")] }) {
  const seen: { head?: [number, Array<[string, string]>]; data: string[]; done?: JobOutcome } = { data: [] };
  const handle: JobHandle = {
    guestId,
    payload: { n: 1 },
    body,
    timeoutMs: 1000,
    onHead: (status, headers) => (seen.head = [status, headers]),
    onData: (data, written) => {
      seen.data.push(Buffer.from(data).toString());
      written();
    },
    onDone: (outcome, last, head) => {
      if (head) seen.head = [head.status, head.headers];
      if (last) seen.data.push(Buffer.concat(last).toString());
      seen.done = outcome;
    },
  };
  return { handle, seen };
}

function setup(program: (io: JobIO) => void) {
  const pooled: JobHandle[] = [];
  const logDir = mkdtempSync(join(tmpdir(), "wisp-inline-"));
  const terminal: string[] = [];
  const log = new ComponentLog("g", logDir, (line) => terminal.push(line));
  const inline: InlineProgram = { run: (_payload, io) => program(io) };
  const pool = { submit: (j: JobHandle) => void pooled.push(j), cancel: () => undefined };
  return { runner: new InlineRunner(pool, new Map([["g", { program: inline, log }]])), pooled, logDir, terminal };
}

describe("InlineRunner", () => {
  it("runs a job on the calling thread and delivers head, body and log before submit returns", () => {
    const { runner, pooled, logDir, terminal } = setup((io) => {
      const input = io.body.read(100)!;
      io.response.head(201, [["content-type", "text/plain"]]);
      io.response.body.write(input);
      io.response.body.write(encode("!"));
      io.stderr.write(encode("a line\n"));
    });
    const { handle, seen } = job();
    runner.submit(handle);
    expect(pooled).toEqual([]);
    expect(seen).toEqual({ head: [201, [["content-type", "text/plain"]]], data: ["ping!"], done: { kind: "ok" } });
    expect(terminal).toEqual(["[g] a line\n"]);
    expect(readFileSync(join(logDir, "g_stderr.txt"), "utf8")).toBe("a line\n");
  });

  it("hands to the pool what it cannot run: another guest, a streamed body", () => {
    const { runner, pooled } = setup(() => {
      throw new Error("must not run");
    });
    runner.submit(job("other").handle);
    runner.submit(job("g", { streamed: true }).handle);
    expect(pooled.map((j) => j.guestId)).toEqual(["other", "g"]);
  });

  it("reruns a job that gave up on the pool with nothing of the abandoned run, then backs off for a while", () => {
    let runs = 0;
    const { runner, pooled, logDir, terminal } = setup((io) => {
      runs++;
      io.response.head(200, []);
      io.response.body.write(encode("partial"));
      io.stdout.write(encode("half a log\n"));
      throw new NeedsWorker("budget");
    });
    const first = job();
    runner.submit(first.handle);
    expect(pooled).toEqual([first.handle]);
    expect(first.seen).toEqual({ data: [] });
    expect(terminal).toEqual([]);
    expect(readFileSync(join(logDir, "g_stdout.txt"), "utf8")).toBe("");
    // The next 16 go straight to the pool; the 17th is tried inline again, and gives up again: 32 more.
    for (let i = 0; i < 17; i++) runner.submit(job().handle);
    expect(runs).toBe(2);
    for (let i = 0; i < 32; i++) runner.submit(job().handle);
    expect(runs).toBe(2);
    runner.submit(job().handle);
    expect(runs).toBe(3);
  });

  it("sends a stack overflow on the main thread to the pool, whose threads have deeper stacks", () => {
    const { runner, pooled } = setup(() => {
      const deeper = (n: number): number => deeper(n + 1) + 1;
      deeper(0);
    });
    const { handle } = job();
    runner.submit(handle);
    expect(pooled).toEqual([handle]);
  });

  it("fails a job whose guest traps, without any of its partial response, and logs what it wrote", () => {
    const { runner, pooled, terminal } = setup((io) => {
      io.response.head(200, []);
      io.response.body.write(encode("partial"));
      io.stderr.write(encode("before the trap\n"));
      throw new WebAssembly.RuntimeError("unreachable");
    });
    const { handle, seen } = job();
    runner.submit(handle);
    expect(pooled).toEqual([]);
    expect(seen.head).toBeUndefined();
    expect(seen.data).toEqual([]);
    expect(seen.done).toMatchObject({
      kind: "failed",
      status: 500,
      message: expect.stringContaining("trap: unreachable") as string,
    });
    expect(terminal).toEqual(["[g] before the trap\n"]);
  });

  it("gives up on a response too big to hold, so that it streams from a worker", () => {
    const { runner, pooled } = setup((io) => {
      io.response.head(200, []);
      for (let i = 0; i < 20; i++) io.response.body.write(new Uint8Array(64 * 1024));
    });
    const { handle, seen } = job();
    runner.submit(handle);
    expect(pooled).toEqual([handle]);
    expect(seen.done).toBeUndefined();
  });

  it("never blocks the server's thread: a guest about to wait reruns on a worker, even if it caught the refusal", () => {
    const { runner, pooled } = setup((io) => {
      try {
        beforeBlocking(); // what a sleep, a poll or a host call does first
      } catch {
        // a guest (or glue) that turns the refusal into an error value and carries on
      }
      io.response.head(200, []);
    });
    const { handle, seen } = job();
    runner.submit(handle);
    expect(pooled).toEqual([handle]);
    expect(seen).toEqual({ data: [] });
    // Outside an inline run the hook is gone: a worker's own hook (flush) is not disturbed.
    expect(() => beforeBlocking()).not.toThrow();
  });

  it("still gives up on an oversized response whose refusal the guest caught", () => {
    const { runner, pooled } = setup((io) => {
      io.response.head(200, []);
      try {
        for (let i = 0; i < 20; i++) io.response.body.write(new Uint8Array(64 * 1024));
      } catch {
        // swallowed
      }
    });
    const { handle } = job();
    runner.submit(handle);
    expect(pooled).toEqual([handle]);
  });
});
