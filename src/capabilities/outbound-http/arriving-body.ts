import type { InputStream as ByteSource } from "../../engine/io/streams.js";
import { asyncHostCallsOf, callingJob } from "../../engine/worker/host-call.js";
import type { OutboundHttpHostCalls } from "./host-calls.js";

const callMain = asyncHostCallsOf<OutboundHttpHostCalls>();

/**
 * An upstream response body a suspending 0.2 guest reads as it arrives: main holds it open
 * (streamed-fetch.ts) and answers a chunk each time the guest wants more, so nothing is buffered
 * beyond what the guest has not read yet, and it sees bytes as the upstream sends them. It is never
 * read by blocking the thread: `whenReady` settles when a chunk, the end or a failure has come.
 */
export class ArrivingBody implements ByteSource {
  private readonly chunks: Uint8Array[] = [];
  private ended = false;
  /** Main sent its end: it holds nothing more of it. */
  private whole = false;
  private failed: string | undefined;
  private asking: Promise<void> | undefined;

  constructor(
    private readonly bodyId: number,
    private readonly log: (line: string) => void,
  ) {}

  ready(): boolean {
    return this.chunks.length > 0 || this.ended;
  }

  readNow(max: number): Uint8Array | null {
    const first = this.chunks[0];
    if (!first) {
      if (this.failed !== undefined) throw new Error(this.failed);
      if (this.ended) return null;
      // Nothing yet: ask for the next chunk, which a poll then waits for.
      void this.whenReady();
      return new Uint8Array(0);
    }
    if (first.length <= max) {
      this.chunks.shift();
      return first;
    }
    this.chunks[0] = first.subarray(max);
    return first.subarray(0, max);
  }

  read(max: number): Uint8Array | null {
    if (!this.ready()) throw new Error("an arriving response body is waited for, never read by blocking the thread");
    return this.readNow(max);
  }

  whenReady(): Promise<void> {
    if (this.ready()) return Promise.resolve();
    return (this.asking ??= this.ask());
  }

  /** The guest's run has ended: what it left unread is let go of on main (its upstream freed). */
  close(): void {
    this.ended = true;
    if (this.whole) return;
    this.whole = true;
    // Asked outside the job: a job let go of asks main nothing more, but this must still reach it.
    void callingJob.exit(() => callMain("http.cancel", { bodyId: this.bodyId })).catch(() => {});
  }

  private async ask(): Promise<void> {
    try {
      const part = await callMain("http.read", { bodyId: this.bodyId });
      if ("end" in part) this.ended = this.whole = true;
      else this.chunks.push(part.chunk);
    } catch (error) {
      if (this.ended) return;
      this.failed = (error as Error).message;
      this.ended = true;
      this.log(`wisp: outbound response body failed: ${this.failed}`);
    } finally {
      this.asking = undefined;
    }
  }
}
