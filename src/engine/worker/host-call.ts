import { AsyncLocalStorage } from "node:async_hooks";
import { parentPort, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { beforeBlocking } from "../io/before-blocking.js";
import { Signal, type HostCallResult, type HostCallSpec } from "./protocol.js";

/**
 * Guests run synchronously on a worker thread, but outbound I/O (HTTP, Redis, databases) is
 * asynchronous in Node and its connection pools live on the main thread, shared by all workers.
 * A host call bridges the two: the worker posts the call to main and blocks on a shared word
 * until main posts the result on a dedicated port, which the worker then drains synchronously.
 */
let channel: { port: MessagePort; signals: Int32Array } | undefined;
let nextCallId = 1;

/** Set once by the worker's entry. */
export function setHostCallChannel(port: MessagePort, signals: Int32Array): void {
  channel = { port, signals };
}

/** Thrown when main answered a host call with an error (its message says what failed). */
export class HostCallFailed extends Error {
  override readonly name = "HostCallFailed";
}

/**
 * A spec's host calls, as a worker makes them: `hostCallsOf<RedisHostCalls>()("redis.command", args)`
 * takes only the spec's op names, each with its args, and answers that op's answer (main's
 * handler is checked against the same spec, see HostCallHandlersFor). Blocks until main answers;
 * a failure there is thrown as HostCallFailed.
 */
export function hostCallsOf<Spec extends HostCallSpec<Spec>>(): <Op extends keyof Spec & string>(
  op: Op,
  args: Spec[Op]["args"],
) => Spec[Op]["answer"] {
  // What main's handler for `op` answered, structured-cloned: its spec's answer (the one place
  // the message's `unknown` is read as the type both sides declare).
  return <Op extends keyof Spec & string>(op: Op, args: Spec[Op]["args"]): Spec[Op]["answer"] => callHost(op, args);
}

/**
 * The same calls for a guest of the async ABI (WASI 0.3): the answer is awaited, so the thread
 * runs on (the guest's other tasks, its output) while main works. The first such call starts
 * listening on the port; a synchronous call still drains it itself (jobs run one at a time, so
 * the two never wait at once).
 */
export function asyncHostCallsOf<Spec extends HostCallSpec<Spec>>(): <Op extends keyof Spec & string>(
  op: Op,
  args: Spec[Op]["args"],
) => Promise<Spec[Op]["answer"]> {
  return <Op extends keyof Spec & string>(op: Op, args: Spec[Op]["args"]): Promise<Spec[Op]["answer"]> =>
    callHostAsync(op, args);
}

/**
 * The job a concurrent program's code runs for (see GuestSpec.concurrent), so main knows which
 * job made an async host call (a self request's depth is its job's); the worker runs each such
 * job inside it.
 */
export const callingJob = new AsyncLocalStorage<number>();

/** Concurrent jobs main let go of whose runs have not ended: their calls fail at once (see letGoOfCalls). */
const letGo = new Set<number>();

/** A concurrent job's run has ended: nothing more is asked for it. */
export function jobEnded(jobId: number): void {
  letGo.delete(jobId);
}

/** Async calls waiting for main's answer, by call id, with the job that made each. */
const awaited = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; jobId?: number }>();
let listening = false;

function callHostAsync(op: string, args: unknown): Promise<unknown> {
  if (!channel) return Promise.reject(new HostCallFailed("host calls are only available on a guest worker"));
  const jobId = callingJob.getStore();
  if (jobId !== undefined && letGo.has(jobId)) return Promise.reject(new HostCallFailed("the request was let go of"));
  const { port } = channel;
  if (!listening) {
    listening = true;
    port.on("message", settleAwaited);
  }
  const callId = nextCallId++;
  return new Promise((resolve, reject) => {
    awaited.set(callId, { resolve, reject, jobId });
    parentPort!.postMessage({ type: "host-call", callId, op, args, jobId });
  });
}

/**
 * Main let go of a concurrent job (its client left, or its deadline passed): the calls it awaits
 * fail now, so its guest unwinds and its instance is freed, rather than held until main's answer
 * (a query may run for an hour). Main lets go of its side of them too (HostCaller.letGo); an
 * answer that still comes is dropped.
 */
export function letGoOfCalls(jobId: number): void {
  letGo.add(jobId);
  for (const [callId, call] of awaited) {
    if (call.jobId !== jobId) continue;
    awaited.delete(callId);
    call.reject(new HostCallFailed("the request was let go of"));
  }
}

/** Settles the async call main answered (an answer to no such call is dropped). */
function settleAwaited(result: HostCallResult): void {
  const call = awaited.get(result.callId);
  if (!call) return;
  awaited.delete(result.callId);
  if (result.ok) call.resolve(result.value);
  else call.reject(new HostCallFailed(result.error));
}

/** Posts one call to main and blocks until its answer (see the top of this file). */
function callHost(op: string, args: unknown): unknown {
  if (!channel) throw new HostCallFailed("host calls are only available on a guest worker");
  const { port, signals } = channel;
  const callId = nextCallId++;
  // Output the guest has buffered goes first: the call may take a while.
  beforeBlocking();
  const seen = Atomics.load(signals, Signal.HOST_RESULT_SEQ);
  parentPort!.postMessage({ type: "host-call", callId, op, args, jobId: callingJob.getStore() });
  let waitedFor = seen;
  for (;;) {
    const received = receiveMessageOnPort(port);
    if (received) {
      const result = received.message as HostCallResult;
      // A concurrent worker's other jobs may be awaiting answers (a 0.3 guest's async calls,
      // while this job calls synchronously): theirs are settled, never dropped.
      if (result.callId !== callId) {
        settleAwaited(result);
        continue;
      }
      if (result.ok) return result.value;
      throw new HostCallFailed(result.error);
    }
    Atomics.wait(signals, Signal.HOST_RESULT_SEQ, waitedFor, 1000);
    waitedFor = Atomics.load(signals, Signal.HOST_RESULT_SEQ);
  }
}
