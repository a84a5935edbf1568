import { beforeBlocking } from "../io/before-blocking.js";
import { receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { InputStream } from "../io/streams.js";
import { Signal, type BodyMessage } from "./protocol.js";

/** Thrown to the guest's read when the client abandoned the body (disconnect, too large). */
export class BodyAborted extends Error {
  override readonly name = "BodyAborted";
}

/**
 * The worker's view of a streamed request body: blocks the worker thread (Atomics.wait on the
 * shared BODY_SEQ word) until main posts the next chunk, and tells main how much it consumed so
 * main can keep reading the socket. Chunks of other jobs (left over from an earlier job whose
 * guest stopped reading) are dropped by job id.
 */
export class PortBodyInput implements InputStream {
  private pending: Uint8Array | null = null;
  private ended = false;
  private seen: number;

  constructor(
    private readonly port: MessagePort,
    private readonly signals: Int32Array,
    private readonly jobId: number,
    private readonly credit: (bytes: number) => void,
  ) {
    this.seen = Atomics.load(signals, Signal.BODY_SEQ);
  }

  read(max: number): Uint8Array | null {
    for (;;) {
      const chunk = this.readNow(max);
      if (chunk === null || chunk.length > 0) return chunk;
      beforeBlocking();
      Atomics.wait(this.signals, Signal.BODY_SEQ, this.seen, 1000);
      this.seen = Atomics.load(this.signals, Signal.BODY_SEQ);
    }
  }

  /**
   * Resolves once main has posted more (or after a while): the async ABI's guests (WASI 0.3) wait
   * for their body this way, leaving the thread to the rest of their tasks (writing the response
   * as they read, say), where `read` would hold it.
   */
  async whenReady(): Promise<void> {
    if (this.ready()) return;
    const waiting = Atomics.waitAsync(this.signals, Signal.BODY_SEQ, this.seen, 1000);
    if (waiting.async) await waiting.value;
    this.seen = Atomics.load(this.signals, Signal.BODY_SEQ);
  }

  readNow(max: number): Uint8Array | null {
    if (this.pending === null && !this.ended) this.receive();
    if (this.pending === null) return this.ended ? null : new Uint8Array(0);
    const take = Math.min(max, this.pending.length);
    const chunk = this.pending.subarray(0, take);
    this.pending = take === this.pending.length ? null : this.pending.subarray(take);
    this.credit(take);
    return chunk;
  }

  ready(): boolean {
    if (this.pending === null && !this.ended) this.receive();
    return this.pending !== null || this.ended;
  }

  private receive(): void {
    for (;;) {
      const received = receiveMessageOnPort(this.port);
      if (!received) return;
      const message = received.message as BodyMessage;
      if (message.jobId !== this.jobId) continue;
      if (message.error) throw new BodyAborted(message.error);
      if (message.data === null) {
        this.ended = true;
        return;
      }
      if (message.data.length === 0) continue;
      this.pending = message.data;
      return;
    }
  }
}
