import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { entryUrl } from "../../code-location.js";
import { SIGNAL_WORDS } from "./protocol.js";
import type { WorkerBootData } from "./worker-main.js";

/**
 * The young generation of a worker's JavaScript heap, in MB. With V8's default a worker's heap
 * grew to 55-70 MB under load, though a job leaves little alive; capped, it stays near 35 MB.
 * Scavenges come more often, each no slower: side by side, the same req/s within noise (http-ts
 * hello, and WAGI hello on workers).
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
 * take (see startGuestThread). A thread's boot is ~100 ms of CPU (Node's own bootstrap of the
 * thread); started when the pool is made, it was still booting when the http-ts hello's first
 * request came, while started by `wisp up` it boots as main loads its modules and plans the app
 * (paired rounds of 3 starts, median to the first 200: 405 vs 423 ms over 6 rounds, 452 vs
 * 472 ms over 8). Unreferenced until taken: a start that fails (a bad manifest) still exits.
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
