import type { JobIO } from "../worker/job.js";

export { NeedsWorker, type NeedsWorkerReason } from "../io/needs-worker.js";

/**
 * A guest program that can also run on the main thread, in the HTTP server's own turn of the
 * event loop: no thread hop, no message, for a request that takes microseconds (see
 * InlineRunner). Same `run` contract as a worker's GuestProgram, plus: it must stop itself within
 * a budget (see meter-fuel) and throw NeedsWorker when it does, or when the job needs what only a
 * worker offers. Whatever it did until then must be invisible: the job is run again on a worker.
 */
export interface InlineProgram {
  /** As GuestProgram's `run`, but always synchronous: a run on the server's own thread ends within the call. */
  run(payload: unknown, io: JobIO): void;
}

/**
 * Instructions (as meter-fuel counts them) an inline run may do before it yields to a worker: a
 * few milliseconds' worth, so a request that computes for longer costs the other requests at most
 * that much of the server's thread (BENCHMARKS.md).
 */
export const INLINE_FUEL = 5_000_000;

/** Response bytes an inline run may produce; a bigger response streams from a worker. */
export const INLINE_RESPONSE_LIMIT = 1 << 20;
