import { MessageChannel, Worker } from "node:worker_threads";
import type { BodyFeeder, JobHandle } from "./job-handle.js";
import { BODY_WINDOW, SIGNAL_WORDS, Signal, type FromWorker, type GuestSpec, type ToWorker } from "./protocol.js";
import type { WorkerBootData } from "./worker-main.js";

let nextJobId = 1;

/**
 * Main's handle on one guest worker thread. Runs one job at a time; the pool decides which.
 * `onIdle` fires when the current job is done; `onLost` when the thread died (the pool replaces it).
 */
export class GuestWorker {
  private readonly worker: Worker;
  private readonly signals = new Int32Array(new SharedArrayBuffer(SIGNAL_WORDS * 4));
  private readonly bodyPort;
  private current: { id: number; job: JobHandle; timer: NodeJS.Timeout; feeder?: PortFeeder } | undefined;
  private loading: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private exited = false;

  constructor(
    entry: URL,
    logDir: string,
    private readonly onIdle: (worker: GuestWorker) => void,
    private readonly onLost: (worker: GuestWorker) => void,
  ) {
    const channel = new MessageChannel();
    this.bodyPort = channel.port1;
    const boot: WorkerBootData = { signals: this.signals.buffer as SharedArrayBuffer, bodyPort: channel.port2, logDir };
    this.worker = new Worker(entry, { workerData: boot, transferList: [channel.port2] });
    this.worker.on("message", (message: FromWorker) => this.receive(message));
    this.worker.on("error", (error) => this.lost(`worker error: ${error.message}`));
    this.worker.on("exit", (code) => this.lost(`worker exited with code ${code}`));
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  load(guests: GuestSpec[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.loading = { resolve, reject };
      this.post({ type: "load", guests });
    });
  }

  run(job: JobHandle): void {
    const id = nextJobId++;
    const timer = setTimeout(() => this.deadline(), job.timeoutMs);
    this.current = { id, job, timer };
    this.post({ type: "job", jobId: id, guestId: job.guestId, payload: job.payload, body: job.body });
    if ("streamed" in job.body && job.pumpBody) {
      const feeder = new PortFeeder(id, this.bodyPort, this.signals);
      this.current.feeder = feeder;
      job.pumpBody(feeder);
    }
  }

  /** The client went away: the guest's next write fails and it can wind down. */
  cancel(job: JobHandle): void {
    if (this.current?.job === job) Atomics.store(this.signals, Signal.CANCELLED_JOB, this.current.id);
  }

  terminate(): Promise<number> {
    this.exited = true;
    return this.worker.terminate();
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    if (message.type === "loaded") return this.loading?.resolve();
    if (message.type === "load-failed") {
      return this.loading?.reject(new Error(`component ${message.guestId}: ${message.message}`));
    }
    const current = this.current;
    if (!current || current.id !== message.jobId) return;
    switch (message.type) {
      case "data": {
        if (message.head) current.job.onHead(message.head.status, message.head.headers);
        const size = message.data.length;
        if (size === 0) return;
        return current.job.onData(message.data, () => {
          Atomics.sub(this.signals, Signal.RESPONSE_UNACKED, size);
          Atomics.notify(this.signals, Signal.RESPONSE_UNACKED);
        });
      }
      case "body-credit":
        return current.feeder?.credit(message.bytes);
      case "done":
        this.finish(current.id);
        if (message.head) current.job.onHead(message.head.status, message.head.headers);
        // The last bytes need no acknowledgement: the worker is not waiting on them.
        if (message.data) current.job.onData(message.data, () => {});
        current.job.onDone(message.outcome);
        return this.onIdle(this);
    }
  }

  private finish(id: number): void {
    if (this.current?.id !== id) return;
    clearTimeout(this.current.timer);
    this.current.feeder?.close();
    this.current = undefined;
    // Bytes of a finished job that main never wrote (client gone) must not stall the next job.
    Atomics.store(this.signals, Signal.RESPONSE_UNACKED, 0);
  }

  /** The guest ran past its wall-clock budget: stop the thread (it may be in an endless loop). */
  private deadline(): void {
    const current = this.current;
    if (!current) return;
    this.finish(current.id);
    current.job.onDone({
      kind: "failed",
      status: 504,
      message: `deadline exceeded: still running after ${current.job.timeoutMs} ms; the instance was stopped`,
    });
    void this.terminate();
    this.onLost(this);
  }

  private lost(reason: string): void {
    if (this.exited) return;
    this.exited = true;
    const current = this.current;
    if (current) {
      this.finish(current.id);
      current.job.onDone({ kind: "failed", status: 500, message: reason });
    }
    this.loading?.reject(new Error(reason));
    this.onLost(this);
  }
}

/** Streams a body to the worker's port; counts bytes ahead of the guest for back-pressure. */
class PortFeeder implements BodyFeeder {
  private ahead = 0;
  private closed = false;
  private drainListener: (() => void) | undefined;

  constructor(
    private readonly jobId: number,
    private readonly port: MessageChannel["port1"],
    private readonly signals: Int32Array,
  ) {}

  push(chunk: Uint8Array): boolean {
    if (this.closed) return true;
    this.ahead += chunk.length;
    this.send({ jobId: this.jobId, data: chunk });
    return this.ahead < BODY_WINDOW;
  }

  end(): void {
    if (!this.closed) this.send({ jobId: this.jobId, data: null });
  }

  abort(reason: string): void {
    if (!this.closed) this.send({ jobId: this.jobId, data: null, error: reason });
  }

  onDrain(listener: () => void): void {
    this.drainListener = listener;
  }

  credit(bytes: number): void {
    const wasFull = this.ahead >= BODY_WINDOW;
    this.ahead -= bytes;
    if (wasFull && this.ahead < BODY_WINDOW) this.drainListener?.();
  }

  /** The job ended: release a paused source so it can be drained and discarded. */
  close(): void {
    this.closed = true;
    this.drainListener?.();
  }

  private send(message: { jobId: number; data: Uint8Array | null; error?: string }): void {
    this.port.postMessage(message);
    Atomics.add(this.signals, Signal.BODY_SEQ, 1);
    Atomics.notify(this.signals, Signal.BODY_SEQ);
  }
}
