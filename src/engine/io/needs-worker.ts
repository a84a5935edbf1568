/**
 * Why an inline run gave up; the job then runs on a worker from the start. "blocking": the guest
 * was about to wait (a sleep, a poll, a host call), which would hold up the whole server.
 */
export type NeedsWorkerReason = "budget" | "stack" | "response size" | "log size" | "blocking";

/**
 * Thrown on the main thread to stop an inline run (see engine/inline): host code that turns errors
 * into guest-visible results must let it through, as it does StreamClosed. It lives here, beside
 * beforeBlocking, so the WASI hosts can name it without knowing where they run.
 */
export class NeedsWorker extends Error {
  override readonly name = "NeedsWorker";
  constructor(readonly reason: NeedsWorkerReason) {
    super(`the job needs a worker (${reason})`);
  }
}
