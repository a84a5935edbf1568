import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { setBeforeBlocking } from "../io/before-blocking.js";
import { BufferInput } from "../io/memory-streams.js";
import { ComponentLog } from "../../observability/component-log.js";
import { JobFailed, type GuestProgram, type LoadGuest } from "./job.js";
import { describeFailure } from "./describe-failure.js";
import { callingJob, jobEnded, letGoOfCalls, setHostCallChannel } from "./host-call.js";
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
const guests = new Map<string, { program: GuestProgram; log: ComponentLog; concurrent: boolean }>();
/** A concurrent job running (see GuestSpec.concurrent): whether main has abandoned it, and its response. */
interface ConcurrentJob {
  abandoned: boolean;
  controller: AbortController;
  response?: PostingResponse;
}
const concurrentJobs = new Map<number, ConcurrentJob>();
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
  else if (message.type === "abandon") abandon(message.jobId);
  else if (message.type === "ack") concurrentJobs.get(message.jobId)?.response?.acked(message.bytes);
  // A concurrent guest's job starts now, beside the others (their waits hold no thread).
  else if (guests.get(message.guestId)?.concurrent) void callingJob.run(message.jobId, () => runJob(message));
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
  for (const { guestId, executorUrl, spec, secrets, concurrent } of specs) {
    try {
      const { load: loadGuest } = (await import(executorUrl)) as { load: LoadGuest };
      guests.set(guestId, {
        program: await loadGuest(spec, guestId),
        log: new ComponentLog(guestId, logDir, undefined, secrets),
        concurrent: concurrent === true,
      });
    } catch (error) {
      post({ type: "load-failed", guestId, message: (error as Error).message });
      return;
    }
  }
  post({ type: "loaded" });
}

/** One job, as its guest's program runs them: beside the others (concurrent), or one after another. */
function runJob(job: Extract<ToWorker, { type: "job" }>): Promise<void> {
  return guests.get(job.guestId)?.concurrent ? runConcurrentJob(job) : runSerialJob(job);
}

/**
 * Main gave up on a concurrent job: `done` goes now (main fails the job itself), its writes fail
 * from here on, and whatever its guest still does is dropped when it ends.
 */
function abandon(jobId: number): void {
  const running = concurrentJobs.get(jobId);
  if (!running || running.abandoned) return;
  running.abandoned = true;
  running.controller.abort();
  running.response?.letGo();
  letGoOfCalls(jobId);
  post({ type: "done", jobId, outcome: { kind: "failed", status: 504, message: "abandoned by main" } });
}

/** A job of a concurrent program: its own response buffer, no blocking hooks, its end awaited beside other jobs. */
async function runConcurrentJob(job: Extract<ToWorker, { type: "job" }>): Promise<void> {
  const guest = guests.get(job.guestId)!;
  const state: ConcurrentJob = { abandoned: false, controller: new AbortController() };
  const response = new PostingResponse(
    job.jobId,
    signals,
    () => state.abandoned || Atomics.load(signals, Signal.CANCELLED_JOB) === job.jobId,
    true,
  );
  state.response = response;
  concurrentJobs.set(job.jobId, state);
  let outcome: JobOutcome = { kind: "ok" };
  const { stdout, stderr } = guest.log.streams();
  try {
    // Main sends a concurrent job only with its body (GuestWorker.accepts): a streamed one needs the thread's body port.
    if (!("inline" in job.body)) throw new JobFailed(500, "a concurrent job's body must travel with it");
    await guest.program.run(job.payload, {
      body: new BufferInput(job.body.inline),
      response,
      stdout,
      stderr,
      abandoned: state.controller.signal,
    });
  } catch (error) {
    outcome = describeFailure(error);
  } finally {
    stdout.close();
    stderr.close();
    concurrentJobs.delete(job.jobId);
    jobEnded(job.jobId);
  }
  if (state.abandoned) return;
  const tail = response.takeTail(outcome.kind === "failed");
  post({ type: "done", jobId: job.jobId, outcome, ...tail }, tail.data ? [tail.data.buffer as ArrayBuffer] : []);
}

/** One job: awaited only when the program's run is async, so a synchronous guest's job ends in the same turn, as before. */
async function runSerialJob(job: Extract<ToWorker, { type: "job" }>): Promise<void> {
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
