import type { MessageChannel, Worker } from "node:worker_threads";
import type { BodyFeeder, JobHandle } from "./job-handle.js";
import { startGuestThread } from "./guest-thread.js";
import {
  BODY_WINDOW,
  CLIENT_CLOSED,
  Signal,
  type FromWorker,
  type GuestSpec,
  type HostCaller,
  type HostCallHandlers,
  type HostCallResult,
  type ToWorker,
} from "./protocol.js";

let nextJobId = 1;

/**
 * Jobs a worker may hold at once: the running one and one waiting in its message queue, so the
 * thread starts the next job without waiting a round trip to main (with one, the threads sat
 * idle for much of a loaded run; see BENCHMARKS.md).
 */
export const WORKER_DEPTH = 2;

interface Assigned {
  id: number;
  job: JobHandle;
  timer?: NodeJS.Timeout;
  feeder?: PortFeeder;
  /** Its client left while it waited: it was answered already, its result is dropped. */
  dropped?: boolean;
}

/** What a GuestWorker tells its pool. */
export interface GuestWorkerEvents {
  /** A job is done: the pool may assign more. */
  idle(worker: GuestWorker): void;
  /** The thread died, with the jobs it had not started, which the pool runs elsewhere. */
  lost(worker: GuestWorker, unstarted: JobHandle[]): void;
  /**
   * Its running job now waits on another job of the pool (see HostCaller.park): the worker is
   * parked already. False to refuse (the pool parks no more): the worker then is not.
   */
  parked(worker: GuestWorker): boolean;
  /** Its running job waits no more. */
  unparked(worker: GuestWorker): void;
}

/**
 * Main's handle on one guest worker thread. The thread runs its jobs in order, one at a time;
 * the first assigned job is the running one, and its deadline runs from when it started.
 */
export class GuestWorker {
  private readonly worker: Worker;
  private readonly signals: Int32Array;
  private readonly bodyPort: MessageChannel["port1"];
  private readonly hostPort: MessageChannel["port1"];
  private readonly assigned: Assigned[] = [];
  private loading: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private exited = false;
  /** Its guests are loaded: until then it takes no job (the pool queues them). */
  private ready = false;
  /** Host calls of the running job that wait on another job of the pool (see HostCaller.park). */
  private parkedCalls = 0;

  constructor(
    entry: URL,
    private readonly logDir: string,
    private readonly events: GuestWorkerEvents,
    private readonly hostCalls: HostCallHandlers = {},
    preload: string[] = [],
  ) {
    // Perhaps a thread started before the pool, booted already (see startGuestThreadEarly).
    ({
      worker: this.worker,
      signals: this.signals,
      bodyPort: this.bodyPort,
      hostPort: this.hostPort,
    } = startGuestThread(entry));
    this.worker.on("message", (message: FromWorker) => this.receive(message));
    this.worker.on("error", (error: Error) => this.lost(`worker error: ${error.message}`));
    this.worker.on("exit", (code) => this.lost(`worker exited with code ${code}`));
    for (const url of preload) this.preload(url);
  }

  /** Its thread is starting or loading the guests: it takes jobs soon. */
  get booting(): boolean {
    return !this.ready && !this.exited;
  }

  /** Jobs assigned and not finished. */
  get load(): number {
    return this.assigned.length;
  }

  /** Its running job waits on another job of the pool: the thread runs nothing until that is done. */
  get parked(): boolean {
    return this.parkedCalls > 0 && !this.exited;
  }

  /** Its thread is ready and has nothing to do. */
  get idle(): boolean {
    return this.ready && !this.exited && this.assigned.length === 0;
  }

  /**
   * Whether `job` may be assigned now: a streamed body needs the thread to itself, and nothing
   * waits behind a parked job (it may wait for a whole chain of self requests).
   */
  accepts(job: JobHandle): boolean {
    if (this.exited || !this.ready || this.parked) return false;
    if ("streamed" in job.body) return this.assigned.length === 0;
    return this.assigned.length < WORKER_DEPTH && !this.assigned.some((a) => a.feeder);
  }

  /** Has the thread import `url` now, ahead of the guests that will need it. */
  preload(url: string): void {
    if (!this.exited) this.post({ type: "preload", url });
  }

  loadGuests(guests: GuestSpec[]): Promise<void> {
    if (this.exited) return Promise.reject(new Error("the worker thread has exited"));
    return new Promise((resolve, reject) => {
      this.loading = { resolve, reject };
      this.post({ type: "load", guests, logDir: this.logDir });
    });
  }

  run(job: JobHandle): void {
    const entry: Assigned = { id: nextJobId++, job };
    this.assigned.push(entry);
    this.post({ type: "job", jobId: entry.id, guestId: job.guestId, payload: job.payload, body: job.body });
    if ("streamed" in job.body && job.pumpBody) {
      entry.feeder = new PortFeeder(entry.id, this.bodyPort, this.signals);
      job.pumpBody(entry.feeder);
    }
    if (this.assigned.length === 1) this.started(entry);
  }

  /** The client went away: a running job's next write fails; a waiting one is answered now. */
  cancel(job: JobHandle): boolean {
    const at = this.assigned.findIndex((a) => a.job === job);
    if (at < 0) return false;
    const entry = this.assigned[at]!;
    if (at === 0) Atomics.store(this.signals, Signal.CANCELLED_JOB, entry.id);
    else if (!entry.dropped) {
      entry.dropped = true;
      job.onDone({
        kind: "failed",
        status: CLIENT_CLOSED,
        message: "client closed the connection before the job started",
      });
    }
    return true;
  }

  /**
   * Takes back the jobs assigned and not started (its running job parked: they would wait for
   * it), for the pool to run elsewhere. The thread is blocked in its running job's host call, so
   * it cannot have started them; SKIP_THROUGH_JOB makes it skip them when it gets to them.
   */
  takeUnstarted(): JobHandle[] {
    const unstarted = this.assigned.splice(1);
    if (unstarted.length > 0) Atomics.store(this.signals, Signal.SKIP_THROUGH_JOB, unstarted.at(-1)!.id);
    return unstarted.filter((a) => !a.dropped).map((a) => a.job);
  }

  terminate(): Promise<number> {
    this.exited = true;
    // lost() ignores the exit that follows: a load in flight must settle here.
    this.loading?.reject(new Error("the worker thread was terminated"));
    return this.worker.terminate();
  }

  private started(entry: Assigned): void {
    // A job whose client left while it waited fails its first write and ends quickly.
    if (entry.dropped) Atomics.store(this.signals, Signal.CANCELLED_JOB, entry.id);
    entry.timer = setTimeout(() => this.deadline(), entry.job.timeoutMs);
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    if (message.type === "loaded") {
      this.ready = true;
      return this.loading?.resolve();
    }
    if (message.type === "load-failed") {
      return this.loading?.reject(new Error(`component ${message.guestId}: ${message.message}`));
    }
    if (message.type === "host-call") return void this.answerHostCall(message.callId, message.op, message.args);
    const current = this.assigned[0];
    if (!current || current.id !== message.jobId) return;
    const job = current.dropped ? undefined : current.job;
    switch (message.type) {
      case "data": {
        if (message.head) job?.onHead(message.head.status, message.head.headers);
        const size = message.data.length;
        if (size === 0) return;
        const ack = () => {
          Atomics.sub(this.signals, Signal.RESPONSE_UNACKED, size);
          Atomics.notify(this.signals, Signal.RESPONSE_UNACKED);
        };
        return job ? job.onData(message.data, ack) : ack();
      }
      case "body-credit":
        return current.feeder?.credit(message.bytes);
      case "done":
        this.finishCurrent();
        // The last bytes need no acknowledgement: the worker is not waiting on them.
        job?.onDone(message.outcome, message.data && [message.data], message.head);
        return this.events.idle(this);
    }
  }

  /** Runs a guest's host call on main (where the connection pools are) and wakes the worker with the result. */
  private async answerHostCall(callId: number, op: string, args: unknown): Promise<void> {
    // The thread is blocked in this call: the running job made it.
    const job = this.assigned[0]?.job;
    let parked = false;
    const caller: HostCaller = {
      guestId: job?.guestId ?? "",
      chainDepth: job?.chainDepth ?? 0,
      park: () => {
        if (parked) return true;
        if (this.exited) return false;
        this.parkedCalls++;
        if (this.events.parked(this)) return (parked = true);
        this.parkedCalls--;
        return false;
      },
    };
    let result: HostCallResult;
    try {
      const handler = this.hostCalls[op];
      if (!handler) throw new Error(`no host call named ${op}`);
      // The args a worker's typed call sent for `op` (see hostCallsOf): its handler's, by the
      // spec both sides declare. The message itself says no more than `unknown`.
      result = { callId, ok: true, value: await handler(args as never, caller) };
    } catch (error) {
      result = { callId, ok: false, error: (error as Error).message ?? String(error) };
    }
    if (this.exited) return;
    this.hostPort.postMessage(result);
    Atomics.add(this.signals, Signal.HOST_RESULT_SEQ, 1);
    Atomics.notify(this.signals, Signal.HOST_RESULT_SEQ);
    if (parked) {
      this.parkedCalls--;
      this.events.unparked(this);
    }
  }

  /** Ends the running job's bookkeeping and starts the clock of the next one. */
  private finishCurrent(): Assigned | undefined {
    const current = this.assigned.shift();
    if (!current) return undefined;
    clearTimeout(current.timer);
    current.feeder?.close();
    // Bytes of a finished job that main never wrote (client gone) must not stall the next job.
    Atomics.store(this.signals, Signal.RESPONSE_UNACKED, 0);
    const next = this.assigned[0];
    if (next && !this.exited) this.started(next);
    return current;
  }

  /** The running guest passed its wall-clock budget: stop the thread (it may loop forever). */
  private deadline(): void {
    const current = this.assigned[0];
    if (!current) return;
    void this.terminate();
    this.abandon(
      current,
      504,
      `deadline exceeded: still running after ${current.job.timeoutMs} ms; the instance was stopped`,
    );
  }

  private lost(reason: string): void {
    if (this.exited) return;
    this.exited = true;
    const current = this.assigned[0];
    if (current) this.abandon(current, 500, reason);
    else {
      this.loading?.reject(new Error(reason));
      this.events.lost(this, []);
    }
  }

  /** The thread is gone: the running job fails, the ones it had not started go back to the pool. */
  private abandon(current: Assigned, status: number, message: string): void {
    clearTimeout(current.timer);
    current.feeder?.close();
    const unstarted = this.assigned
      .splice(0)
      .slice(1)
      .filter((a) => !a.dropped)
      .map((a) => a.job);
    if (!current.dropped) current.job.onDone({ kind: "failed", status, message });
    this.loading?.reject(new Error(message));
    this.events.lost(this, unstarted);
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
