import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { setBeforeBlocking } from "../io/before-blocking.js";
import { BufferInput } from "../io/memory-streams.js";
import { ComponentLog } from "../../observability/component-log.js";
import { JobFailed, type GuestProgram, type LoadGuest } from "./job.js";
import { describeFailure } from "./describe-failure.js";
import { setHostCallChannel } from "./host-call.js";
import { PortBodyInput } from "./port-body-input.js";
import { PostingResponse } from "./posting-response.js";
import { BODY_WINDOW, Signal, type FromWorker, type JobOutcome, type ToWorker } from "./protocol.js";
import { enableCompileCache } from "../../compile-cache.js";

enableCompileCache();

/** Entry of a guest worker thread: loads guests once, then runs jobs one at a time. */
export interface WorkerBootData {
  signals: SharedArrayBuffer;
  bodyPort: MessagePort;
  /** Where main posts the results of host calls (see host-call.ts). */
  hostPort: MessagePort;
}

const boot = workerData as WorkerBootData;
const signals = new Int32Array(boot.signals);
const guests = new Map<string, { program: GuestProgram; log: ComponentLog }>();
const port = parentPort!;
setHostCallChannel(boot.hostPort, signals);

/** Imports a module the guests will need, ahead of them. A failure shows again, for the guest, when load() imports the same URL. */
function preload(url: string): void {
  import(url).catch(() => undefined);
}

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/**
 * The jobs run one after another, an async one (WASI 0.3) to its end before the next starts: the
 * programs hold one request's state at a time (its streams, its WASI host).
 */
let jobs: Promise<void> = Promise.resolve();

port.on("message", (message: ToWorker) => {
  if (message.type === "load") void load(message.guests, message.logDir);
  else if (message.type === "preload") preload(message.url);
  // A failure of the worker's own (not a guest's: runJob reports those) ends the thread, as it did before jobs were chained.
  else
    jobs = jobs
      .then(() => runJob(message))
      .catch((error: unknown) =>
        queueMicrotask(() => {
          throw error;
        }),
      );
});

async function load(specs: Extract<ToWorker, { type: "load" }>["guests"], logDir: string): Promise<void> {
  for (const { guestId, executorUrl, spec, secrets } of specs) {
    try {
      const { load: loadGuest } = (await import(executorUrl)) as { load: LoadGuest };
      guests.set(guestId, {
        program: await loadGuest(spec, guestId),
        log: new ComponentLog(guestId, logDir, undefined, secrets),
      });
    } catch (error) {
      post({ type: "load-failed", guestId, message: (error as Error).message });
      return;
    }
  }
  post({ type: "loaded" });
}

/** One job: awaited only when the program's run is async, so a synchronous guest's job ends in the same turn, as before. */
async function runJob(job: Extract<ToWorker, { type: "job" }>): Promise<void> {
  // Main took it back while it waited here, and runs it elsewhere: nothing of it may run here.
  if (job.jobId <= Atomics.load(signals, Signal.SKIP_THROUGH_JOB)) return;
  const guest = guests.get(job.guestId);
  const response = new PostingResponse(
    job.jobId,
    signals,
    () => Atomics.load(signals, Signal.CANCELLED_JOB) === job.jobId,
  );
  let outcome: JobOutcome = { kind: "ok" };
  const { stdout, stderr } = guest ? guest.log.streams() : { stdout: undefined, stderr: undefined };
  try {
    if (!guest || !stdout || !stderr) throw new JobFailed(500, `component ${job.guestId} is not loaded`);
    let credited = 0;
    const body =
      "inline" in job.body
        ? new BufferInput(job.body.inline)
        : new PortBodyInput(boot.bodyPort, signals, job.jobId, (bytes) => {
            // Tell main in window-sized steps, not per read, how much it may send ahead.
            credited += bytes;
            if (credited >= BODY_WINDOW / 4) {
              post({ type: "body-credit", jobId: job.jobId, bytes: credited });
              credited = 0;
            }
          });
    setBeforeBlocking(() => response.flush());
    const running = guest.program.run(job.payload, { body, response, stdout, stderr });
    if (running) await running;
  } catch (error) {
    outcome = describeFailure(error);
  } finally {
    setBeforeBlocking(undefined);
    stdout?.close();
    stderr?.close();
  }
  const tail = response.takeTail(outcome.kind === "failed");
  post({ type: "done", jobId: job.jobId, outcome, ...tail }, tail.data ? [tail.data.buffer as ArrayBuffer] : []);
}
