import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { entryUrl } from "../../code-location.js";
import { SIGNAL_WORDS } from "./protocol.js";
import type { WorkerBootData } from "./worker-main.js";

/**
 * The young generation of a worker's JavaScript heap, in MB: a job leaves little alive, so a
 * small one keeps a worker's heap small under load at no cost in throughput (BENCHMARKS.md).
 */
const WORKER_YOUNG_GENERATION_MB = 4;

/** A guest worker thread as main holds it: the thread, and what GuestWorker drives it through. */
export interface GuestThread {
  worker: Worker;
  signals: Int32Array;
  /** Main's end of the request-body channel. */
  bodyPort: MessagePort;
  /** Main's end of the host-call results channel. */
  hostPort: MessagePort;
}

/** A thread started by startGuestThreadEarly and not yet taken, with its entry's href. */
let early: { href: string; thread: GuestThread } | undefined;

/** Starts a thread running `entry` (worker-main). It knows nothing of the guests yet: they come in its `load` message. */
export function startGuestThread(entry: URL): GuestThread {
  return takeEarlyThread(entry) ?? newThread(entry);
}

/**
 * Starts one guest thread now, before the app is planned, for the pool that will serve it to
 * take (see startGuestThread). A thread's boot is Node's own bootstrap of the thread: started
 * when the pool is made, it was still booting when the first request came; started by `wisp up`,
 * it boots while main loads its modules and plans the app (BENCHMARKS.md).
 * Unreferenced until taken: a start that fails (a bad manifest) still exits.
 * Returns the thread, for its id and state; it is not the caller's to drive.
 */
export function startGuestThreadEarly(entry: URL = entryUrl("worker")): Worker {
  if (early) return early.thread.worker;
  const thread = newThread(entry);
  thread.worker.unref();
  const slot = { href: entry.href, thread };
  early = slot;
  // A thread that died untaken is not handed out; its error must not be an uncaught one on main.
  thread.worker.on("error", () => undefined);
  thread.worker.once("exit", () => {
    if (early === slot) early = undefined;
  });
  return thread.worker;
}

function takeEarlyThread(entry: URL): GuestThread | undefined {
  if (!early || early.href !== entry.href) return undefined;
  const { thread } = early;
  early = undefined;
  thread.worker.ref();
  thread.worker.removeAllListeners();
  return thread;
}

function newThread(entry: URL): GuestThread {
  const signals = new Int32Array(new SharedArrayBuffer(SIGNAL_WORDS * 4));
  const body = new MessageChannel();
  const host = new MessageChannel();
  const boot: WorkerBootData = { signals: signals.buffer, bodyPort: body.port2, hostPort: host.port2 };
  const worker = new Worker(entry, {
    workerData: boot,
    transferList: [body.port2, host.port2],
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  return { worker, signals, bodyPort: body.port1, hostPort: host.port1 };
}
