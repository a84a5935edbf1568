import { CollectingOutput } from "../io/memory-streams.js";
import { NeedsWorker } from "./inline-program.js";

/** Log bytes an inline run may hold until it ends; a run that logs more reruns on a worker, whose log streams. */
export const INLINE_LOG_LIMIT = 64 << 10;

/**
 * An inline run's stdout or stderr, held until the run is known to stand (see InlineRunner),
 * up to INLINE_LOG_LIMIT: a guest that floods its log goes to a worker, where the log is bounded
 * per request (see ComponentLog), instead of growing the server's memory.
 */
export class HeldLog extends CollectingOutput {
  private size = 0;

  override write(bytes: Uint8Array): void {
    this.size += bytes.length;
    if (this.size > INLINE_LOG_LIMIT) throw new NeedsWorker("log size");
    super.write(bytes);
  }

  /** One byte past the limit at most: enough for a write to be seen as too much (see OutputStream.keeps). */
  keeps(): number {
    return Math.max(0, INLINE_LOG_LIMIT - this.size + 1);
  }

  /** Whether the guest logged more than it may (even if it caught the refusal). */
  get overflowed(): boolean {
    return this.size > INLINE_LOG_LIMIT;
  }
}
