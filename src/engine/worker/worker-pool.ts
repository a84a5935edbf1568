import { availableParallelism } from "node:os";
import { GuestWorker } from "./guest-worker.js";
import type { JobHandle } from "./job-handle.js";
import { CLIENT_CLOSED, type GuestSpec, type HostCallHandlers } from "./protocol.js";
import { entryUrl } from "../../code-location.js";

export interface WorkerPoolOptions {
  /** Every guest each worker loads at start (executor module + spec); may still be being prepared. */
  guests: GuestSpec[] | Promise<GuestSpec[]>;
  /** Where component logs go (`<logDir>/<component>_stdout.txt`). */
  logDir: string;
  /** Worker threads; default: one per core, at least 2 so one slow guest never stalls the rest. */
  size?: number;
  /** The worker entry module (tests may substitute one). */
  entry?: URL;
  /** What guests' host calls run on the main thread (outbound I/O). */
  hostCalls?: HostCallHandlers;
  /** Modules each worker imports as soon as it boots (the guests' executors), while the guests are still being prepared. */
  preload?: string[];
  /** Threads that may wait parked on self requests at once (see WorkerPool); default DEFAULT_MAX_PARKED. */
  maxParked?: number;
}

/**
 * Enough for one chain of self requests at Wisp's depth limit (10, see
 * capabilities/outbound-http/self-requests.ts) to wait parked; each is a thread (~40 MB and up).
 */
export const DEFAULT_MAX_PARKED = 10;
/** How long a thread started in place of a parked one stays idle before it is stopped. */
export const SURPLUS_IDLE_MS = 15_000;

/**
 * Runs guest jobs on a fixed set of worker threads, FIFO. Each worker holds up to WORKER_DEPTH
 * jobs (one running, the next waiting in its queue); a job with a streamed body gets a worker to
 * itself. A worker that dies or passes a job's deadline is terminated (which is what stops an
 * endless loop) and replaced; only its running job fails, the jobs it had not started run elsewhere.
 *
 * A guest that calls its own app (a `self` request) blocks its thread in the host call until
 * that request is answered, and the request needs a thread of this same pool: with every thread
 * waiting like that, nothing could run (a chain of self requests as deep as the pool deadlocked it
 * until the deadlines). So a waiting thread is *parked* (HostCaller.park): it takes no job, the
 * jobs queued behind it go back to the pool, and it stops counting against `size`. The pool then
 * starts a thread in its place when it has fewer than `size` threads that can run jobs, as Go's
 * scheduler hands a processor blocked in a system call to another thread, or Java's ForkJoinPool
 * compensates a managed blocker. Bounded: at most `maxParked` threads park at once (the next self
 * request is refused at once, never left waiting), so at most `size + maxParked` threads, and a
 * chain, however long, never takes the `size` threads that other components' requests run on.
 * Surplus threads stop after SURPLUS_IDLE_MS idle, so a burst of chains pays for their boot once.
 *
 * Lifecycle: `start()` once (rejects if a guest cannot be loaded), `submit()` any number of times,
 * `close()` once: it lets queued and running jobs finish, up to `graceMs`, then stops the threads.
 */
export class WorkerPool {
  private readonly workers = new Set<GuestWorker>();
  private readonly queue: JobHandle[] = [];
  private readonly entry: URL;
  private readonly size: number;
  private readonly maxParked: number;
  /** Surplus threads due to stop when still idle (see retireSurplus). */
  private readonly retiring = new Map<GuestWorker, NodeJS.Timeout>();
  private closing = false;
  private drained: (() => void) | undefined;
  /** The guests whose programs run jobs concurrently (see GuestSpec.concurrent), once the guests are known. */
  private concurrentGuests: ReadonlySet<string> = new Set();

  constructor(private readonly options: WorkerPoolOptions) {
    this.entry = options.entry ?? entryUrl("worker");
    this.size = options.size ?? Math.max(2, availableParallelism());
    this.maxParked = options.maxParked ?? DEFAULT_MAX_PARKED;
    void Promise.resolve(options.guests).then(
      (guests) => (this.concurrentGuests = new Set(guests.filter((g) => g.concurrent).map((g) => g.guestId))),
      () => undefined,
    );
  }

  /**
   * Boots the workers and loads the guests. A pool closed meanwhile (or before) starts nothing, and that is no failure.
   *
   * One thread at once, the others when the guests are ready: a thread's boot takes a core for a
   * while, and booting them all while main compiled the guests delayed the first one, which serves
   * the first request (BENCHMARKS.md).
   */
  async start(): Promise<void> {
    const first = this.spawn();
    const others = Promise.resolve(this.options.guests).then(() =>
      Promise.all(Array.from({ length: this.size - 1 }, () => this.spawn())),
    );
    await Promise.all([first, others]);
  }

  /**
   * Has the threads started so far (while main prepares the guests, only the first: see start)
   * import `url`, a component's glue, so that loading the guests does not wait for it. Threads
   * started later import it when they load them.
   */
  preload(url: string): void {
    for (const worker of this.workers) worker.preload(url);
  }

  submit(job: JobHandle): void {
    if (this.queue.length === 0) {
      const worker = this.leastLoaded(job);
      if (worker) return worker.run(job);
    }
    this.queue.push(job);
    this.dispatch();
  }

  /** The client of `job` went away: drop it if queued, or make its writes fail if running. */
  cancel(job: JobHandle): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.onDone({
        kind: "failed",
        status: CLIENT_CLOSED,
        message: "client closed the connection before the job started",
      });
      return;
    }
    for (const worker of this.workers) if (worker.cancel(job)) return;
  }

  get pending(): number {
    let assigned = 0;
    for (const worker of this.workers) assigned += worker.load;
    return this.queue.length + assigned;
  }

  async close(graceMs = 10_000): Promise<void> {
    this.closing = true;
    if (this.pending > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        setTimeout(resolve, graceMs).unref();
      });
    }
    for (const job of this.queue.splice(0))
      job.onDone({ kind: "failed", status: 503, message: "server shutting down" });
    for (const timer of this.retiring.values()) clearTimeout(timer);
    this.retiring.clear();
    await Promise.all([...this.workers].map((w) => w.terminate()));
    this.workers.clear();
  }

  /**
   * The worker with the fewest jobs that can take `job` now. While a thread boots (at start, or
   * replacing one that died), a job waits for it rather than behind a running job, which may run
   * for seconds.
   */
  private leastLoaded(job: JobHandle): GuestWorker | undefined {
    let best: GuestWorker | undefined;
    let booting = false;
    for (const worker of this.workers) {
      booting ||= worker.booting;
      if (worker.accepts(job) && (!best || worker.load < best.load)) best = worker;
    }
    return best && best.load > 0 && booting ? undefined : best;
  }

  private async spawn(): Promise<void> {
    // A thread started after close would keep the process alive, with nothing left to end it.
    if (this.closing) return;
    const worker = new GuestWorker(
      this.entry,
      this.options.logDir,
      {
        idle: () => this.dispatch(),
        lost: (w, unstarted) => this.replace(w, unstarted),
        parked: (w) => this.parked(w),
        unparked: () => this.dispatch(),
      },
      this.options.hostCalls,
      this.options.preload,
      (guestId) => this.concurrentGuests.has(guestId),
    );
    this.workers.add(worker);
    try {
      // The thread boots while the guests are still being prepared (compiled) on main.
      await worker.loadGuests(await this.options.guests);
    } catch (error) {
      this.workers.delete(worker);
      void worker.terminate();
      // Jobs held for it (see leastLoaded) may go to a busy worker now.
      this.dispatch();
      // Closed while it loaded: close terminated it, which is not the guests' failure.
      if (this.closing) return;
      throw error;
    }
    this.dispatch();
  }

  /**
   * Hands queued jobs, in order, to workers with room. A job no thread can take now holds back
   * none behind it that one can: a synchronous job waiting for a thread free of concurrent jobs
   * held up the concurrent jobs behind it, the self requests that those threads' jobs waited on
   * among them (a deadlock until the deadlines). So that such a job is not passed over for ever,
   * one thread is drained for it (see drainFor).
   */
  private dispatch(): void {
    let waiting: JobHandle | undefined;
    for (let i = 0; i < this.queue.length;) {
      const job = this.queue[i]!;
      const worker = this.leastLoaded(job);
      if (worker) {
        this.queue.splice(i, 1);
        worker.run(job);
      } else {
        waiting ??= this.concurrentGuests.has(job.guestId) && !("streamed" in job.body) ? undefined : job;
        i++;
      }
    }
    this.drainFor(waiting);
    this.retireSurplus();
    if (this.closing && this.pending === 0) this.drained?.();
  }

  /**
   * A job that needs a thread without concurrent jobs is waiting (`job`): when every thread holds
   * some, the one with fewest takes no new ones until they end (it still takes self requests, which
   * its jobs may wait on), and then takes this job. When nothing waits, no thread drains.
   */
  private drainFor(job: JobHandle | undefined): void {
    const draining = [...this.workers].filter((w) => w.draining);
    if (!job) {
      for (const worker of draining) worker.draining = false;
      return;
    }
    if (draining.length > 0) return;
    let fewest: GuestWorker | undefined;
    for (const worker of this.workers) {
      if (worker.parked) continue;
      // A thread without concurrent jobs takes it once it has room.
      if (!worker.holdsConcurrent) return;
      if (!fewest || worker.load < fewest.load) fewest = worker;
    }
    if (fewest) fewest.draining = true;
  }

  /** Threads that can run jobs: booting or ready, and not parked. */
  private get runnable(): number {
    let count = 0;
    for (const worker of this.workers) if (!worker.parked) count++;
    return count;
  }

  /** `worker`'s running job waits on another job of the pool (see the class comment). */
  private parked(worker: GuestWorker): boolean {
    if (this.workers.size - this.runnable > this.maxParked) return false;
    // Its queued jobs would wait for the whole chain: they go first, as they came first.
    this.queue.unshift(...worker.takeUnstarted());
    this.topUp();
    this.dispatch();
    return true;
  }

  /** Starts a thread if fewer than `size` can run jobs (one parked, or died). */
  private topUp(): void {
    if (this.closing || this.runnable >= this.size || this.workers.size >= this.size + this.maxParked) return;
    this.spawn().catch((error: Error) => {
      process.stderr.write(`wisp: could not start a guest worker: ${error.message}\n`);
    });
  }

  /**
   * Threads beyond `size` that can run jobs (started in place of parked ones, which have woken)
   * stop once idle for SURPLUS_IDLE_MS, if still surplus then.
   */
  private retireSurplus(): void {
    if (this.closing || this.runnable <= this.size) return;
    for (const worker of this.workers) {
      if (!worker.idle || this.retiring.has(worker)) continue;
      const timer = setTimeout(() => {
        this.retiring.delete(worker);
        if (this.closing || !worker.idle || this.runnable <= this.size || !this.workers.delete(worker)) return;
        void worker.terminate();
        // Another idle one may be surplus still.
        this.retireSurplus();
      }, SURPLUS_IDLE_MS);
      timer.unref();
      this.retiring.set(worker, timer);
    }
  }

  private replace(worker: GuestWorker, unstarted: JobHandle[]): void {
    if (!this.workers.delete(worker)) return;
    clearTimeout(this.retiring.get(worker));
    this.retiring.delete(worker);
    this.queue.unshift(...unstarted);
    if (this.closing) {
      this.dispatch();
      if (this.pending === 0) this.drained?.();
      return;
    }
    this.topUp();
    this.dispatch();
  }
}
