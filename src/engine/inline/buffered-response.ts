import { StreamClosed, type OutputStream } from "../io/streams.js";
import type { ResponseSink } from "../worker/job.js";
import { INLINE_RESPONSE_LIMIT, NeedsWorker } from "./inline-program.js";

/**
 * An inline run's response, kept whole until the run has finished: only then is it known that
 * the run stands (it may still give up and rerun on a worker). The chunks are kept as written,
 * and handed on as they are: they are copies of the guest's memory already (see OutputStream),
 * and joining them would copy the body once more.
 */
export class BufferedResponse implements ResponseSink, OutputStream {
  status = 0;
  headers: Array<[string, string]> = [];
  headSent = false;
  readonly body: OutputStream = this;
  private readonly written: Uint8Array[] = [];
  private size = 0;
  private closed = false;

  head(status: number, headers: ReadonlyArray<readonly [string, string]>): void {
    if (this.headSent) throw new Error("response head sent twice");
    this.headSent = true;
    this.status = status;
    this.headers = headers.map(([name, value]) => [name, value]);
  }

  write(bytes: Uint8Array): void {
    if (this.closed) throw new StreamClosed("write after the response body was closed");
    this.size += bytes.length;
    if (this.size > INLINE_RESPONSE_LIMIT) throw new NeedsWorker("response size");
    if (bytes.length > 0) this.written.push(bytes);
  }

  /** Whether the guest wrote more than an inline run may hold (even if it caught the refusal). */
  get overflowed(): boolean {
    return this.size > INLINE_RESPONSE_LIMIT;
  }

  capacity(): number {
    return INLINE_RESPONSE_LIMIT - this.size;
  }

  close(): void {
    this.closed = true;
  }

  /** The body written, in the chunks it was written in (none for an empty body). */
  chunks(): readonly Uint8Array[] {
    return this.written;
  }
}
