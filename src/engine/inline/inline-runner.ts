import { setBeforeBlocking } from "../io/before-blocking.js";
import { BufferInput, type CollectingOutput } from "../io/memory-streams.js";
import type { ComponentLog } from "../../observability/component-log.js";
import { describeFailure } from "../worker/describe-failure.js";
import type { JobHandle } from "../worker/job-handle.js";
import type { JobOutcome } from "../worker/protocol.js";
import type { WorkerPool } from "../worker/worker-pool.js";
import { BufferedResponse } from "./buffered-response.js";
import { HeldLog } from "./held-log.js";
import { NeedsWorker, type InlineProgram } from "./inline-program.js";

/** A guest loaded on the main thread as well as on the workers. */
export interface InlineGuest {
  program: InlineProgram;
  /** Its log, opened on the main thread (the workers append to the same files). */
  log: ComponentLog;
}

/** After a run gives up, this many of the guest's next jobs go straight to the workers, doubling per give-up in a row. */
const FIRST_BACKOFF = 16;
const MAX_BACKOFF = 4096;

interface GuestState extends InlineGuest {
  /** Jobs still to send to the workers before trying inline again. */
  skip: number;
  /** Give-ups in a row. */
  streak: number;
}

/**
 * Runs each job on the main thread when it can, else hands it to the worker pool (which it wraps,
 * with the same `submit`/`cancel`). A small guest's request takes far less time to run than to
 * pass to a worker and back (two messages, two thread wake-ups): running it where the request was
 * parsed is what brings Wisp close to plain Node (BENCHMARKS.md).
 *
 * A job runs inline when its guest has an InlineProgram and its body is already in memory. Its
 * response and log lines are held until it finishes. If it gives up (NeedsWorker: its fuel is
 * spent, it overflowed the main thread's smaller stack, its response or log is too big to hold, it was
 * about to block: sleep, poll, wait for a host call) nothing
 * of it is kept, the job goes to the pool and runs there from the start, and the guest's next jobs
 * go to the pool for a while (the back-off doubles with every give-up in a row), so a guest that
 * computes for long costs the server's thread at most one budget now and then.
 *
 * Contract: main thread only; a job it runs inline is done (all callbacks called) when `submit` returns.
 */
export class InlineRunner {
  private readonly guests = new Map<string, GuestState>();

  constructor(
    private readonly pool: Pick<WorkerPool, "submit" | "cancel">,
    guests: ReadonlyMap<string, InlineGuest>,
  ) {
    for (const [id, guest] of guests) this.guests.set(id, { ...guest, skip: 0, streak: 0 });
  }

  submit(job: JobHandle): void {
    const guest = this.guests.get(job.guestId);
    if (!guest || !("inline" in job.body)) return this.pool.submit(job);
    if (guest.skip > 0) {
      guest.skip--;
      return this.pool.submit(job);
    }
    const response = new BufferedResponse();
    const stdout = new HeldLog();
    const stderr = new HeldLog();
    let outcome: JobOutcome = { kind: "ok" };
    // Kept apart from the exception: a guest may catch what a host call threw and carry on.
    let gaveUp = false;
    setBeforeBlocking(() => {
      gaveUp = true;
      throw new NeedsWorker("blocking");
    });
    try {
      guest.program.run(job.payload, { body: new BufferInput(job.body.inline), response, stdout, stderr });
    } catch (error) {
      if (!(error instanceof NeedsWorker || isStackOverflow(error))) outcome = describeFailure(error);
      else gaveUp = true;
    } finally {
      setBeforeBlocking(undefined);
    }
    if (gaveUp || response.overflowed || stdout.overflowed || stderr.overflowed) {
      guest.streak++;
      guest.skip = Math.min(FIRST_BACKOFF << (guest.streak - 1), MAX_BACKOFF);
      return this.pool.submit(job);
    }
    guest.streak = 0;
    replayLog(guest.log, stdout, stderr);
    // A failed run's partial response is dropped: the client gets the failure's status instead.
    if (outcome.kind !== "ok" || !response.headSent) return job.onDone(outcome);
    const body = response.chunks();
    job.onDone(outcome, body.length > 0 ? body : undefined, { status: response.status, headers: response.headers });
  }

  cancel(job: JobHandle): void {
    this.pool.cancel(job);
  }

  /** Closes the main thread's handles on the guests' logs. */
  close(): void {
    for (const guest of this.guests.values()) guest.log.close();
  }
}

function replayLog(log: ComponentLog, stdout: CollectingOutput, stderr: CollectingOutput): void {
  if (stdout.empty && stderr.empty) return;
  const out = stdout.bytes();
  const err = stderr.bytes();
  const streams = log.streams();
  if (out.length > 0) streams.stdout.write(out);
  if (err.length > 0) streams.stderr.write(err);
  streams.stdout.close();
  streams.stderr.close();
}

/** V8's RangeError for a full stack: the main thread's stack is smaller than a worker's (4 MB). */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message.includes("call stack");
}
