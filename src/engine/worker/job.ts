import type { ResponseSink } from "../io/response-sink.js";
import type { InputStream, OutputStream } from "../io/streams.js";

/** Part of the job contract; it lives in io/ so the wasi:http host can write to one without knowing the worker. */
export type { ResponseSink };

/**
 * The contract between the generic worker and an executor (WAGI, wasi:http...). The worker knows
 * nothing about HTTP or WASI: it loads each guest once through the executor's `load` and runs jobs.
 */
export interface GuestProgram {
  /**
   * Runs one job synchronously on the worker thread, on a fresh instance. Writes the response
   * through `io.response`. Throws `JobFailed` for an error the client should see as a status, or
   * anything else (a trap) for a 500.
   */
  run(payload: unknown, io: JobIO): void;
}

export interface JobIO {
  /** The request body (blocking reads). */
  body: InputStream;
  response: ResponseSink;
  /** The component's stdout/stderr: its log files and the terminal. */
  stdout: OutputStream;
  stderr: OutputStream;
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
