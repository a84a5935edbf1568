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

/**
 * Jobs of concurrent guests (GuestSpec.concurrent) a worker may run at once: their waits hold no
 * thread, so more than WORKER_DEPTH keep it busy; bounded, since each holds an instance.
 */
export const CONCURRENT_DEPTH = 64;

/** How long a worker may take to let go of a concurrent job it was told to abandon before it is deemed stuck (a loop) and stopped. */
export const ABANDON_GRACE_MS = 500;

interface Assigned {
  id: number;
  job: JobHandle;
  timer?: NodeJS.Timeout;
  feeder?: PortFeeder;
  /** Its client left while it waited: it was answered already, its result is dropped. */
  dropped?: boolean;
  /** A concurrent guest's job (see GuestSpec.concurrent): running from when it was assigned. */
  concurrent?: boolean;
  /** Finished: a late acknowledgement of its bytes changes nothing. */
  finished?: boolean;
  /** A concurrent job's: aborted when main lets go of it, which its host calls' handlers see (HostCaller.letGo). */
  letGo?: AbortController;
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
    /** Whether a guest runs its jobs concurrently (see GuestSpec.concurrent). */
    private readonly isConcurrent: (guestId: string) => boolean = () => false,
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
    // A worker holds concurrent jobs (with their bodies) or others, never both: a synchronous job
    // would hold the thread the others wait on, and drain their host calls' answers.
    if (this.isConcurrent(job.guestId) && !("streamed" in job.body))
      return (
        this.assigned.every((a) => a.concurrent) &&
        this.assigned.length < CONCURRENT_DEPTH &&
        // Draining, it takes only requests its own jobs wait on (a self request's).
        (!this.draining || (job.chainDepth ?? 0) > 0)
      );
    if (this.assigned.some((a) => a.concurrent)) return false;
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

  /**
   * Whether it lets its concurrent jobs end, taking no new ones (but self requests), so that a
   * job that needs a thread of its own gets this one (see WorkerPool's dispatch).
   */
  draining = false;

  /** Whether it runs `job` beside others (a concurrent guest's, with its body). */
  runsConcurrently(job: JobHandle): boolean {
    return this.isConcurrent(job.guestId) && !("streamed" in job.body);
  }

  /** Whether it holds any concurrent job now. */
  get holdsConcurrent(): boolean {
    return this.assigned.some((a) => a.concurrent);
  }

  run(job: JobHandle): void {
    const concurrent = this.runsConcurrently(job);
    if (!concurrent) this.draining = false;
    const entry: Assigned = concurrent
      ? { id: nextJobId++, job, concurrent, letGo: new AbortController() }
      : { id: nextJobId++, job };
    this.assigned.push(entry);
    this.post({ type: "job", jobId: entry.id, guestId: job.guestId, payload: job.payload, body: job.body });
    if ("streamed" in job.body && job.pumpBody) {
      entry.feeder = new PortFeeder(entry.id, this.bodyPort, this.signals);
      job.pumpBody(entry.feeder);
    }
    if (concurrent || this.assigned.length === 1) this.started(entry);
  }

  /** The client went away: a running job's next write fails; a waiting one is answered now. */
  cancel(job: JobHandle): boolean {
    const at = this.assigned.findIndex((a) => a.job === job);
    if (at < 0) return false;
    const entry = this.assigned[at]!;
    // A concurrent job is running wherever it stands: let go of it (its writes fail from then on).
    if (entry.concurrent) {
      this.letGo(entry);
      if (!entry.dropped) {
        entry.dropped = true;
        job.onDone({ kind: "failed", status: CLIENT_CLOSED, message: "the client closed the connection" });
      }
      return true;
    }
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
    entry.timer = setTimeout(
      () => (entry.concurrent ? this.concurrentDeadline(entry) : this.deadline()),
      entry.job.timeoutMs,
    );
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
    if (message.type === "host-call")
      return void this.answerHostCall(message.callId, message.op, message.args, message.jobId);
    const concurrent = this.assigned.find((a) => a.concurrent && a.id === message.jobId);
    if (concurrent) return this.receiveConcurrent(concurrent, message);
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
        job?.onDone(message.outcome, message.data && [message.data], message.head, message.trailers);
        return this.events.idle(this);
    }
  }

  /** A message of a concurrent job: its data, or its end. */
  private receiveConcurrent(entry: Assigned, message: Extract<FromWorker, { jobId: number }>): void {
    const job = entry.dropped ? undefined : entry.job;
    if (message.type === "data") {
      if (message.head) job?.onHead(message.head.status, message.head.headers);
      const size = message.data.length;
      if (size === 0) return;
      const ack = () => {
        if (!entry.finished && !this.exited) this.post({ type: "ack", jobId: entry.id, bytes: size });
      };
      return job ? job.onData(message.data, ack) : ack();
    }
    if (message.type !== "done") return;
    this.assigned.splice(this.assigned.indexOf(entry), 1);
    entry.finished = true;
    clearTimeout(entry.timer);
    job?.onDone(message.outcome, message.data && [message.data], message.head, message.trailers);
    this.events.idle(this);
  }

  /** Tells the worker to let go of a concurrent job, and its host calls' handlers on main too. */
  private letGo(entry: Assigned): void {
    this.post({ type: "abandon", jobId: entry.id });
    entry.letGo?.abort();
  }

  /**
   * A concurrent job passed its deadline: it fails (504) at once and the worker is told to let go
   * of it; one that does not answer within ABANDON_GRACE_MS is stuck in the guest's code (a loop),
   * and only stopping the thread ends that, failing the jobs it ran beside.
   */
  private concurrentDeadline(entry: Assigned): void {
    if (!entry.dropped) {
      entry.dropped = true;
      entry.job.onDone({
        kind: "failed",
        status: 504,
        message: `deadline exceeded: still running after ${entry.job.timeoutMs} ms; the instance was abandoned`,
      });
    }
    this.letGo(entry);
    entry.timer = setTimeout(() => {
      if (entry.finished || this.exited) return;
      void this.terminate();
      this.failConcurrent(500, "stopped with its worker thread, which another request's guest held past its deadline");
    }, ABANDON_GRACE_MS);
  }

  /** The thread is gone: every concurrent job on it fails (none is run again: each had started). */
  private failConcurrent(status: number, message: string): void {
    for (const entry of this.assigned.splice(0)) {
      entry.finished = true;
      entry.letGo?.abort();
      clearTimeout(entry.timer);
      if (!entry.dropped) entry.job.onDone({ kind: "failed", status, message });
    }
    this.loading?.reject(new Error(message));
    this.events.lost(this, []);
  }

  /** Runs a guest's host call on main (where the connection pools are) and wakes the worker with the result. */
  private async answerHostCall(callId: number, op: string, args: unknown, jobId?: number): Promise<void> {
    // A concurrent job names itself; otherwise the thread is blocked in this call: the running job made it.
    const entry = jobId !== undefined ? this.assigned.find((a) => a.id === jobId) : this.assigned[0];
    const job = entry?.job;
    let parked = false;
    const caller: HostCaller = {
      guestId: job?.guestId ?? "",
      chainDepth: job?.chainDepth ?? 0,
      letGo: entry?.letGo?.signal,
      park: () => {
        // A concurrent job's call holds no thread: there is nothing to park.
        if (entry?.concurrent) return true;
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
      // A concurrent job main has let go of (or whose end came first) asks nothing more: a call
      // that crossed the letting go on its way would start what no one is left to stop (an
      // upstream request held until its own time limit).
      if (jobId !== undefined && (!entry || entry.letGo?.signal.aborted)) throw new Error("the request was let go of");
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
    if (this.assigned.some((a) => a.concurrent)) return this.failConcurrent(500, reason);
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
