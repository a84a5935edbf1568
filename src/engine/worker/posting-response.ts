import { parentPort } from "node:worker_threads";
import { StreamClosed, type OutputStream } from "../io/streams.js";
import type { ResponseSink } from "./job.js";
import { RESPONSE_CHUNK, RESPONSE_WINDOW, Signal, type FromWorker, type ResponseHead } from "./protocol.js";

/**
 * A concurrent job's bytes main may hold unwritten before its writes fail: a guest that writes on
 * without waiting for its window (see whenWritable) would otherwise fill main's memory while its
 * client reads slowly, or not at all.
 */
export const UNREAD_LIMIT = 16 * RESPONSE_WINDOW;

/**
 * A job's response as the worker produces it. The head and body bytes wait in a buffer and go to
 * main in messages of up to RESPONSE_CHUNK: when the buffer is full, when the guest is about to
 * block (see before-blocking), or with the job's `done` message — so a small response costs one
 * message, and a failure before anything was sent can still become a clean error status. When
 * main has more than RESPONSE_WINDOW bytes not yet written to the socket (a slow client), the
 * guest's write blocks: memory stays bounded whatever the size.
 *
 * A concurrent job's (GuestSpec.concurrent) window is its own, and its writes never block the
 * thread, which the jobs beside it share: main acknowledges its bytes with messages (`acked`),
 * `capacity` says what is left of its window, and its writer awaits `whenWritable` (a wasi:http
 * 0.3 response, a suspending 0.2 guest's). Past UNREAD_LIMIT its writes fail.
 */
/**
 * One staging buffer per worker thread, reused by every job (a worker runs one job at a time):
 * allocating a zeroed 64 KiB buffer per request showed in profiles. What leaves is a copy.
 */
const STAGING = new Uint8Array(RESPONSE_CHUNK);

export class PostingResponse implements ResponseSink, OutputStream {
  private readonly buffer: Uint8Array;
  private used = 0;
  private closed = false;
  private pendingHead: ResponseHead | undefined;
  private pendingTrailers: Array<[string, string]> | undefined;
  /** Whether anything has reached main: after that a failure can only cut the connection. */
  private posted = false;
  headSent = false;
  readonly body: OutputStream = this;
  /** A concurrent job's: its bytes posted and not yet written by main, and who waits for room. */
  private unacked = 0;
  private writable: PromiseWithResolvers<void> | undefined;
  /** A concurrent job's writer waits on this for room in its window (see OutputStream.whenWritable). */
  readonly whenWritable: (() => Promise<void>) | undefined;

  constructor(
    private readonly jobId: number,
    private readonly signals: Int32Array,
    /** Set by main when the client went away: writes then fail so the guest can stop. */
    private readonly cancelled: () => boolean,
    /** Whether other jobs run beside this one (see GuestSpec.concurrent): its buffer and window are its own. */
    private readonly concurrent = false,
  ) {
    this.buffer = concurrent ? new Uint8Array(RESPONSE_CHUNK) : STAGING;
    this.whenWritable = concurrent ? () => this.roomInWindow() : undefined;
  }

  /** Main wrote `bytes` of a concurrent job's response to the socket. */
  acked(bytes: number): void {
    this.unacked -= bytes;
    if (this.unacked < RESPONSE_WINDOW) {
      this.writable?.resolve();
      this.writable = undefined;
    }
  }

  /** A concurrent job let go of: whoever waits for room wakes, to find its next write failing. */
  letGo(): void {
    this.writable?.resolve();
    this.writable = undefined;
  }

  /** Resolves when a concurrent job's window has room (at once if it has), or its client left. */
  private roomInWindow(): Promise<void> {
    if (this.unacked < RESPONSE_WINDOW || this.cancelled()) return Promise.resolve();
    this.writable ??= Promise.withResolvers<void>();
    return this.writable.promise;
  }

  head(status: number, headers: ReadonlyArray<readonly [string, string]>): void {
    if (this.headSent) throw new Error("response head sent twice");
    this.headSent = true;
    this.pendingHead = { status, headers: headers.map(([k, v]) => [k, v]) };
  }

  write(bytes: Uint8Array): void {
    if (this.closed || this.cancelled()) throw new StreamClosed("the client closed the connection");
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(bytes.length - offset, RESPONSE_CHUNK - this.used);
      this.buffer.set(bytes.subarray(offset, offset + take), this.used);
      this.used += take;
      offset += take;
      if (this.used === RESPONSE_CHUNK) this.flush();
    }
  }

  capacity(): number {
    // Its client gone, a concurrent job's writer is not kept waiting: its next write fails.
    if (this.concurrent && this.cancelled()) return RESPONSE_WINDOW;
    const unacked = this.concurrent ? this.unacked + this.used : Atomics.load(this.signals, Signal.RESPONSE_UNACKED);
    return Math.max(0, RESPONSE_WINDOW - unacked);
  }

  /** They leave with the job's `done` message, after the last bytes. */
  trailers(fields: ReadonlyArray<readonly [string, string]>): void {
    this.pendingTrailers = fields.map(([name, value]) => [name, value]);
  }

  /** The guest has finished its body; what is buffered leaves with the job's `done` message. */
  close(): void {
    this.closed = true;
  }

  /**
   * What has not reached main yet, for the `done` message: the head and last bytes on success;
   * nothing on failure when nothing was posted yet (main then answers with the error status).
   */
  takeTail(failed: boolean): { head?: ResponseHead; data?: Uint8Array; trailers?: Array<[string, string]> } {
    this.closed = true;
    if (failed && !this.posted) return {};
    const tail = {
      head: this.pendingHead,
      data: this.used > 0 ? this.buffer.slice(0, this.used) : undefined,
      ...(this.pendingTrailers && !failed ? { trailers: this.pendingTrailers } : {}),
    };
    this.pendingHead = undefined;
    this.used = 0;
    return tail;
  }

  /** Sends what is buffered, first waiting while main is a full window behind (a concurrent job: never). */
  flush(): void {
    if (this.used === 0 && !this.pendingHead) return;
    if (this.cancelled()) throw new StreamClosed("the client closed the connection");
    if (this.concurrent) return this.post();
    for (;;) {
      const unacked = Atomics.load(this.signals, Signal.RESPONSE_UNACKED);
      if (unacked < RESPONSE_WINDOW) break;
      if (this.cancelled()) throw new StreamClosed("the client closed the connection");
      Atomics.wait(this.signals, Signal.RESPONSE_UNACKED, unacked, 1000);
    }
    Atomics.add(this.signals, Signal.RESPONSE_UNACKED, this.used);
    this.post();
  }

  private post(): void {
    if (this.concurrent && this.unacked > UNREAD_LIMIT)
      throw new StreamClosed(
        `the client has not read ${UNREAD_LIMIT >> 20} MiB of the response, and the guest wrote on without waiting for it`,
      );
    const data = this.buffer.slice(0, this.used);
    if (this.concurrent) this.unacked += data.length;
    const head = this.pendingHead;
    this.pendingHead = undefined;
    this.posted = true;
    post({ type: "data", jobId: this.jobId, head, data }, [data.buffer]);
    this.used = 0;
  }
}

function post(message: FromWorker, transfer?: ArrayBuffer[]): void {
  parentPort!.postMessage(message, transfer ?? []);
}
