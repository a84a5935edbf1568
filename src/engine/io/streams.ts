/**
 * Byte streams as guest code sees them. Guests run synchronously on a worker thread, so these
 * contracts are synchronous: `read` may block the calling thread (Atomics.wait) until data
 * arrives, and `write` may block for back-pressure. WASI preview1 fds, wasi:io streams and the
 * executors' request/response bodies are all built on these two interfaces.
 */
export interface InputStream {
  /**
   * Up to `max` bytes, blocking until at least one byte is available.
   * Returns `null` once the stream has ended (and every later call returns `null` too).
   */
  read(max: number): Uint8Array | null;
  /** Up to `max` bytes that are available now without blocking (maybe none); `null` at end. */
  readNow(max: number): Uint8Array | null;
  /** Whether a `read` would return without blocking. */
  ready(): boolean;
  /**
   * Resolves when a `read` may find more without blocking (or after a while: check `readNow`
   * again), for readers that must not block the thread (the async ABI's guests). Absent: the
   * stream has all it will have, or can only be waited on by blocking.
   */
  whenReady?(): Promise<void>;
}

export interface OutputStream {
  /**
   * Writes all of `bytes`; may block until the consumer has room. Throws `StreamClosed`. The
   * stream may keep `bytes`: a writer hands over bytes it will not change (what a guest writes is
   * copied out of its memory first, by the WASI call).
   */
  write(bytes: Uint8Array): void;
  /** Bytes that can be written now without blocking (a hint, may be 0). */
  capacity(): number;
  /**
   * Resolves when `capacity` may be above 0 again, for writers that must not block the thread (a
   * concurrent job's). Present only on a stream whose writes never block: such a writer waits on
   * this instead.
   */
  whenWritable?(): Promise<void>;
  /**
   * For a stream that keeps only so many bytes and drops the rest (a log past its cap): how many
   * of the next writes' bytes it keeps. A writer need copy no more than that out of guest memory
   * (it still reports the whole write as done). Absent: the stream keeps everything.
   */
  keeps?(): number;
  /** Marks the end of the stream; further writes throw `StreamClosed`. */
  close(): void;
}

/** Thrown by a write to a stream whose reader has gone away (the client disconnected). */
export class StreamClosed extends Error {
  override readonly name = "StreamClosed";
}

/**
 * Thrown by a write to a stream whose other end failed (a socket the peer reset): unlike
 * StreamClosed, a failure the guest is told of as its last operation's (wasi:io's
 * `last-operation-failed`), not an end of its run.
 */
export class StreamFailed extends Error {
  override readonly name = "StreamFailed";
}
