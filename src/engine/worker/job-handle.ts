import type { InlineOrStreamed, JobOutcome, ResponseHead } from "./protocol.js";

/**
 * One job as the trigger hands it to the pool, with callbacks for what the guest produces.
 * Callbacks run on the main thread, in order: `onHead` at most once, `onData` any number of times,
 * then exactly one `onDone` (also when the worker dies or the deadline passes). A response that is
 * whole when it ends (every inline run, a small one from a worker) skips both: its head and body
 * come with `onDone`.
 */
export interface JobHandle {
  guestId: string;
  payload: unknown;
  body: InlineOrStreamed;
  /** Wall-clock budget from the moment a worker takes the job. */
  timeoutMs: number;
  /**
   * How many requests to the app itself (`self`) led to this one: 0 or absent for a client's
   * request. Its host calls see it, so the self requests it makes are counted one deeper.
   */
  chainDepth?: number;
  onHead(status: number, headers: Array<[string, string]>): void;
  /** `written` must be called once the bytes are handed to the socket (flow control). */
  onData(data: Uint8Array, written: () => void): void;
  /**
   * `last`: the body's last bytes, when they come with the end (written with it: one write to
   * the socket instead of two), as chunks in order; they need no flow control. `head`: the head,
   * when it was not sent through onHead; `last` is then the whole body. `trailers`: fields the
   * guest sends after its body (a wasi:http 0.3 response's).
   */
  onDone(
    outcome: JobOutcome,
    last?: readonly Uint8Array[],
    head?: ResponseHead,
    trailers?: ReadonlyArray<readonly [string, string]>,
  ): void;
  /** For a streamed body: called once the job runs, with where to push the body. */
  pumpBody?(feeder: BodyFeeder): void;
}

/** Main's side of a streamed request body. */
export interface BodyFeeder {
  /** Sends a chunk; returns false when the guest is a full window behind (pause the source). */
  push(chunk: Uint8Array): boolean;
  end(): void;
  abort(reason: string): void;
  /** Called when the guest has read enough that pushing may resume. */
  onDrain(listener: () => void): void;
}
