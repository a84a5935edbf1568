/**
 * Messages between the main thread (HTTP server, pool) and a guest worker thread.
 *
 * Threads: guest code runs synchronously on a worker; the worker never waits on its event loop
 * while a job runs. Request-body chunks reach it through a MessagePort it drains synchronously
 * (`receiveMessageOnPort`), woken by `Atomics.notify` on a shared word; response parts go back with
 * `postMessage`, bounded by a shared count of bytes the main thread has not yet handed to the socket.
 */

/** Index of shared Int32 words in a worker's signal buffer. */
export const Signal = {
  /** Bumped by main after each post on the body port: the worker waits on it. */
  BODY_SEQ: 0,
  /** Response bytes posted by the worker and not yet written by main: the worker waits while too many. */
  RESPONSE_UNACKED: 1,
  /** Set by main to a job id whose client went away: that job's writes fail fast. */
  CANCELLED_JOB: 2,
  /** Bumped by main after it posts a host call's result on the host port: the worker waits on it. */
  HOST_RESULT_SEQ: 3,
  /**
   * Set by main to the highest id of the jobs it took back from the worker before they started
   * (its running job parked on a self request, see GuestWorker.takeUnstarted): the worker skips
   * any job whose id is not above it. Ids only grow, so later jobs run.
   */
  SKIP_THROUGH_JOB: 4,
} as const;
export const SIGNAL_WORDS = 5;

/** Bytes of response in flight before the worker waits for the socket (bounded memory for big bodies). */
export const RESPONSE_WINDOW = 1 << 20;
/** Bytes of request body main may send ahead of what the guest has read. */
export const BODY_WINDOW = 1 << 20;
/** Response writes are coalesced into messages of up to this size. */
export const RESPONSE_CHUNK = 64 * 1024;

/** What a guest program is, as the worker loads it once: the executor's module and its spec. */
export interface GuestSpec {
  guestId: string;
  /** URL of a module exporting `load(spec): Promise<GuestProgram>` (see job.ts). */
  executorUrl: string;
  /** Executor-specific, structured-cloneable (may hold WebAssembly.Module). */
  spec: unknown;
  /** Values its log must never show (secret variables). */
  secrets?: string[];
  /**
   * Its program runs jobs concurrently (an async guest, WASI 0.3, whose waits hold no thread): a
   * worker may hold many of its jobs at once, each running from when it is assigned.
   */
  concurrent?: boolean;
}

export type ToWorker =
  /** `logDir`: where the guests' logs go (`<logDir>/<component>_stdout.txt`). */
  | { type: "load"; guests: GuestSpec[]; logDir: string }
  /** A module the guests will need (a component's glue): imported now, while main still prepares them. */
  | { type: "preload"; url: string }
  | { type: "job"; jobId: number; guestId: string; payload: unknown; body: InlineOrStreamed }
  /**
   * A concurrent job main gave up on (its deadline passed, or its client left): the worker stops
   * caring for it and answers `done` at once. A worker that does not answer is stuck (a loop) and
   * is terminated.
   */
  | { type: "abandon"; jobId: number }
  /**
   * A concurrent job's response bytes main has written to the socket: its window is its own (a
   * slow client holds back only its own job), see PostingResponse.
   */
  | { type: "ack"; jobId: number; bytes: number };

/**
 * A small body travels with the job, as the chunks it was read in (see BufferInput); a larger or
 * unknown-length one streams over the body port.
 */
export type InlineOrStreamed = { inline: readonly Uint8Array[] } | { streamed: true };

/** Body port: chunks of the current job's request body; `null` data ends it. */
export interface BodyMessage {
  jobId: number;
  data: Uint8Array | null;
  /** Set when the body was abandoned (client gone, too large): the guest sees a read error. */
  error?: string;
}

export type FromWorker =
  | { type: "loaded" }
  | { type: "load-failed"; guestId: string; message: string }
  | { type: "data"; jobId: number; head?: ResponseHead; data: Uint8Array }
  | { type: "body-credit"; jobId: number; bytes: number }
  /** A guest's call the host answers asynchronously (outbound I/O): the result comes on the host port. */
  | { type: "host-call"; callId: number; op: string; args: unknown; jobId?: number }
  /** The end of a job, with the response's unsent head and last bytes (a small response is all here). */
  | {
      type: "done";
      jobId: number;
      outcome: JobOutcome;
      head?: ResponseHead;
      data?: Uint8Array;
      /** Fields to send after the body (see ResponseSink.trailers). */
      trailers?: Array<[string, string]>;
    };

export interface ResponseHead {
  status: number;
  headers: Array<[string, string]>;
}

/** How a job ended. `failed` carries what the log needs: the trap and its wasm backtrace. */
export type JobOutcome = { kind: "ok" } | { kind: "failed"; status: number; message: string };

/** The outcome status of a job whose client went away (nginx's 499): not a failure to report. */
export const CLIENT_CLOSED = 499;

/** The answer to a host call, posted on the worker's host port. */
export type HostCallResult =
  { callId: number; ok: true; value: unknown } | { callId: number; ok: false; error: string };

/** The job that made a host call, as its main-thread handler sees it. */
export interface HostCaller {
  guestId: string;
  /** How many self requests deep the calling job is (see JobHandle.chainDepth). */
  chainDepth: number;
  /**
   * Declares that the call waits on another job of the same pool (a request to the app itself):
   * the pool then runs other jobs on a thread in its place, so a chain of such calls cannot
   * deadlock it (see WorkerPool). False when the pool may park no more threads: the call must
   * fail now instead of waiting for a job that might never get a thread.
   */
  park(): boolean;
  /**
   * Aborted when main lets go of the calling job (a concurrent job's client left, or its deadline
   * passed): what the call still waits on (an upstream, say) is let go of too.
   */
  letGo?: AbortSignal;
}

/**
 * A set of host calls, as a capability declares them in a types-only file both threads import:
 * by operation name, the args the worker sends and the answer main sends back, e.g.
 * `interface RedisHostCalls { "redis.command": { args: RedisCommandArgs; answer: RedisValue[] } }`.
 * Both travel by structured clone. (Written as a constraint on `Spec` itself, so an interface fits.)
 */
export type HostCallSpec<Spec> = { readonly [Op in keyof Spec]: { args: unknown; answer: unknown } };

/** Main-thread implementations of a spec's host calls: each takes its op's args and answers its answer. */
export type HostCallHandlersFor<Spec extends HostCallSpec<Spec>> = {
  readonly [Op in keyof Spec]: (args: Spec[Op]["args"], caller: HostCaller) => Promise<Spec[Op]["answer"]>;
};

/**
 * Main-thread implementations of host calls of any spec, by operation name (see host-call.ts):
 * what main dispatches a worker's message to. A handler's args are its spec's, which the worker's
 * typed call sent (see hostCallsOf), so no handler accepts just anything: `never` here.
 */
export type HostCallHandlers = Readonly<Record<string, (args: never, caller: HostCaller) => Promise<unknown>>>;
