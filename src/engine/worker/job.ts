import type { ResponseSink } from "../io/response-sink.js";
import type { InputStream, OutputStream } from "../io/streams.js";

/** Part of the job contract; it lives in io/ so the wasi:http host can write to one without knowing the worker. */
export type { ResponseSink };

/**
 * The contract between the worker and an executor (WAGI, wasi:http...): the worker loads each guest
 * once through the executor's `load` and runs jobs. It knows nothing of WASI or of how a trigger
 * routes its events, but a job is shaped like an HTTP exchange, since the HTTP trigger's are the
 * only jobs so far: a request body in (`JobIO.body`), a response out (a status and headers, then a
 * body: ResponseSink), and failures as HTTP statuses (JobFailed). A trigger whose events are not
 * requests (a Redis message, a cron tick) reads the outcome's status as success or failure, or
 * gives jobs a shape of its own here.
 */
export interface GuestProgram {
  /**
   * Runs one job on the worker thread, on a fresh instance: synchronously, or (a guest of the
   * component model's async ABI, WASI 0.3) until the promise it returns settles. Writes the
   * response through `io.response`. Throws (or rejects with) `JobFailed` for an error the client
   * should see as a status, or anything else (a trap) for a 500.
   */
  run(payload: unknown, io: JobIO): void | Promise<void>;
}

export interface JobIO {
  /** The request body (blocking reads). */
  body: InputStream;
  response: ResponseSink;
  /** The component's stdout/stderr: its log files and the terminal. */
  stdout: OutputStream;
  stderr: OutputStream;
  /**
   * A concurrent job's (GuestSpec.concurrent): aborted when main lets go of it (its client left,
   * or its deadline passed), so what it still waits on (an upstream's body) is let go of too.
   */
  abandoned?: AbortSignal;
}

/** An executor module exports `load`. */
export type LoadGuest = (spec: unknown, guestId: string) => Promise<GuestProgram>;

/** A failure the executor has judged: the client gets `status`, the log gets the message. */
export class JobFailed extends Error {
  override readonly name = "JobFailed";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
