import type { InputStream } from "./streams.js";

/**
 * An input whose first failure is final: once a read of `source` throws, every later read throws
 * the same error without touching `source` again, as a read of a broken pipe keeps failing.
 *
 * Why: a streamed request body that passes its limit (or whose client left) fails ONE read, and
 * the source is left with nothing more to deliver. A guest that reads again after the error (C's
 * fread does, for the call after a short count) would otherwise block on the source until its
 * deadline, holding a worker the whole time.
 */
export class FailedForGood implements InputStream {
  private failure: { error: unknown } | undefined;

  constructor(private readonly source: InputStream) {}

  read(max: number): Uint8Array | null {
    return this.guard(() => this.source.read(max));
  }

  readNow(max: number): Uint8Array | null {
    return this.guard(() => this.source.readNow(max));
  }

  /** A failed stream is ready: a read returns at once (with the error). */
  ready(): boolean {
    return this.failure !== undefined || this.guard(() => this.source.ready());
  }

  private guard<T>(read: () => T): T {
    if (this.failure) throw this.failure.error;
    try {
      return read();
    } catch (error) {
      this.failure = { error };
      throw error;
    }
  }
}
