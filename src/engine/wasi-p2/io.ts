import { StreamFailed, type InputStream as ByteSource, type OutputStream as ByteSink } from "../io/streams.js";
import { sleepMs } from "../wasi-p1/calls-poll.js";

/**
 * wasi:io 0.2 (error, poll, streams) over Wisp's blocking byte streams. Guests run synchronously
 * on a worker thread, so blocking calls block that thread and nothing else.
 */

/** wasi:io/error `error`. */
export class IoError {
  constructor(private readonly message: string) {}
  toDebugString(): string {
    return this.message;
  }
}

/**
 * wasi:io/poll `pollable`: a readiness check and a way to wait until ready. A pollable of a guest
 * whose glue suspends (see SuspendingGlue) waits on a promise (`settled`), and its `block` and
 * `poll` answer promises the glue awaits: the thread runs other guests meanwhile. Any other
 * blocks the thread.
 */
export class Pollable {
  constructor(
    private readonly isReady: () => boolean,
    private readonly waitReady: () => void = () => {
      while (!isReady()) sleepMs(1);
    },
    /** Settles when it is ready, for a suspending guest's pollable. */
    readonly settled?: () => Promise<unknown>,
  ) {}
  ready(): boolean {
    return this.isReady();
  }
  block(): void | Promise<void> {
    if (this.isReady()) return;
    if (this.settled) return this.settled().then(() => undefined);
    this.waitReady();
  }
}

export const READY = new Pollable(() => true);

/** The WASI 0.2 functions whose hosts may answer a suspending guest a promise (jco's names): its waits. */
export const SUSPENDING_WASI_IMPORTS: readonly string[] = [
  "wasi:io/poll#poll",
  "wasi:io/poll#[method]pollable.block",
  "wasi:io/streams#[method]input-stream.blocking-read",
  "wasi:io/streams#[method]input-stream.blocking-skip",
  "wasi:io/streams#[method]output-stream.blocking-splice",
  "wasi:io/streams#[method]output-stream.blocking-write-and-flush",
  "wasi:io/streams#[method]output-stream.blocking-write-zeroes-and-flush",
  "wasi:io/streams#[method]output-stream.blocking-flush",
  // 0.2.0-rc-2023-10-18's, beside 0.2.0's (jco matches a name without its version to every release).
  "wasi:io/poll#poll-list",
  "wasi:io/poll#poll-one",
  "wasi:io/streams#[method]output-stream.forward",
];

/** The ready ones' indexes, or none. */
function readyOf(pollables: Pollable[]): Uint32Array | undefined {
  const ready: number[] = [];
  pollables.forEach((p, i) => p.ready() && ready.push(i));
  return ready.length > 0 ? new Uint32Array(ready) : undefined;
}

/** wasi:io/poll `poll`: indexes of the ready pollables, blocking the thread until at least one is. */
export function poll(pollables: Pollable[]): Uint32Array {
  if (pollables.length === 0) throw new Error("wasi:io/poll: poll on an empty list");
  if (pollables.length === 1) void pollables[0]!.block();
  for (;;) {
    const ready = readyOf(pollables);
    if (ready) return ready;
    sleepMs(1);
  }
}

/**
 * How long a suspending guest may run on before its thread turns to other work. A guest's calls
 * that suspend settle at once when what they wait for is there, and those turns are the
 * microtasks' alone: a guest polling something always ready (StarlingMonkey, its output full, polls
 * the input it cannot pass on) would never let its thread read main's messages (the acks that free
 * its output, the other requests, being let go of).
 */
const TURN_MS = 2;
let lastTurn = performance.now();

/** A turn of the thread's event loop when the guest has run on for TURN_MS, else nothing. */
function turnIfDue(): Promise<void> | undefined {
  if (performance.now() - lastTurn < TURN_MS) return undefined;
  return new Promise((resolve) =>
    setImmediate(() => {
      lastTurn = performance.now();
      resolve();
    }),
  );
}

/**
 * `poll` for a suspending guest (see Pollable): while none is ready, it waits on the settling of
 * those that settle, looking again each millisecond for any that only block (none of its own
 * should); a ready answer still lets the thread turn now and then (see TURN_MS). Once `letGo` is
 * aborted (the request let go of) it fails, so that a guest polling on and on unwinds. The glue
 * awaits the promise.
 */
export function suspendingPoll(pollables: Pollable[], letGo?: AbortSignal): Uint32Array | Promise<Uint32Array> {
  if (pollables.length === 0) throw new Error("wasi:io/poll: poll on an empty list");
  letGo?.throwIfAborted();
  const ready = readyOf(pollables);
  if (ready) {
    const turn = turnIfDue();
    return turn ? turn.then(() => ready) : ready;
  }
  if (!pollables.some((p) => p.settled)) return poll(pollables);
  return pollSettling(pollables, letGo);
}

async function pollSettling(pollables: Pollable[], letGo?: AbortSignal): Promise<Uint32Array> {
  const looks = pollables.some((p) => !p.settled);
  // Being let go of ends the wait, whatever it waits on.
  const abandoned = letGo && new Promise((resolve) => letGo.addEventListener("abort", resolve, { once: true }));
  for (;;) {
    // Asked again each time: what settled and is still not ready waits anew.
    const settling = pollables.flatMap((p) => (p.settled ? [p.settled()] : []));
    if (looks) settling.push(new Promise((resolve) => setTimeout(resolve, 1)));
    if (abandoned) settling.push(abandoned);
    await Promise.race(settling);
    letGo?.throwIfAborted();
    const ready = readyOf(pollables);
    if (ready) return ready;
    // Settled and still not ready: the next look is a turn of the loop away at least.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Stream errors as jco expects them thrown: the `stream-error` variant. */
const CLOSED = { tag: "closed" } as const;

/**
 * wasi:io/streams `input-stream` over a byte source: read by blocking the thread, or, for a source
 * that `settles` (an upstream body a suspending guest reads as it arrives, see Pollable), waited
 * for on its `whenReady`: then a blocking read answers a promise the glue awaits. A source's
 * failure is the stream's `last-operation-failed`: a body cut short never looks complete.
 */
export class InputStream {
  private stash: Uint8Array | undefined;
  private ended = false;

  constructor(
    private readonly source: ByteSource,
    private readonly settles = false,
  ) {}

  private take(len: number, blocking: boolean): Uint8Array {
    if (this.stash) {
      const chunk = this.stash.subarray(0, len);
      this.stash = chunk.length < this.stash.length ? this.stash.subarray(len) : undefined;
      return chunk;
    }
    if (this.ended) throw CLOSED;
    if (len === 0) return new Uint8Array(0);
    let chunk: Uint8Array | null;
    try {
      chunk = blocking ? this.source.read(len) : this.source.readNow(len);
    } catch (error) {
      this.ended = true;
      throw { tag: "last-operation-failed", val: new IoError((error as Error).message ?? String(error)) };
    }
    if (chunk === null) {
      this.ended = true;
      throw CLOSED;
    }
    return chunk;
  }

  private readyNow(): boolean {
    return this.stash !== undefined || this.ended || this.source.ready();
  }

  /** Runs `read` once the source has something, waiting on it when it settles and has nothing yet. */
  private whenReady<T>(read: () => T): T | Promise<T> {
    if (!this.settles || this.readyNow() || !this.source.whenReady) return read();
    return this.source.whenReady().then(() => this.whenReady(read));
  }

  // A promise (typed as what it settles to) only from a source that settles, which only a
  // suspending guest reads: its glue awaits these (SUSPENDING_WASI_IMPORTS).
  read(len: bigint): Uint8Array {
    return this.take(Number(len), false);
  }
  blockingRead(len: bigint): Uint8Array {
    return this.whenReady(() => this.take(Number(len), true)) as Uint8Array;
  }
  skip(len: bigint): bigint {
    return BigInt(this.take(Number(len), false).length);
  }
  blockingSkip(len: bigint): bigint {
    return this.whenReady(() => BigInt(this.take(Number(len), true).length)) as bigint;
  }
  subscribe(): Pollable {
    return new Pollable(
      () => this.readyNow(),
      () => {
        // Block by reading ahead; the bytes wait in the stash for the next read.
        const chunk = this.source.read(64 * 1024);
        if (chunk === null) this.ended = true;
        else this.stash = chunk;
      },
      this.settles && this.source.whenReady ? () => this.source.whenReady!() : undefined,
    );
  }
}

/** How much a guest may write per `check-write`: writes block for back-pressure anyway. */
const WRITE_BUDGET = 1024n * 1024n;

/**
 * wasi:io/streams `output-stream` over a byte sink: one whose writes may block the thread, or one
 * whose writes never do (a concurrent job's response, see OutputStream.whenWritable): then
 * `check-write` says what its window has room for, its pollable settles when there is room, and a
 * blocking write or flush waits for room after writing with a promise the (suspending) glue awaits.
 */
export class OutputStream {
  private closed = false;

  constructor(
    private readonly sink: ByteSink,
    private readonly onClose?: () => void,
  ) {}

  checkWrite(): bigint {
    if (this.closed) throw CLOSED;
    return this.sink.whenWritable ? BigInt(Math.min(Number(WRITE_BUDGET), this.sink.capacity())) : WRITE_BUDGET;
  }
  write(contents: Uint8Array): void {
    if (this.closed) throw CLOSED;
    // Copy: the guest's memory is reused once the call returns.
    if (contents.length > 0) this.failedIf(() => this.sink.write(contents.slice()));
  }
  /** Runs a call on the sink; its StreamFailed is the stream's `last-operation-failed`, and closes it. */
  private failedIf<T>(call: () => T): T {
    try {
      return call();
    } catch (error) {
      if (!(error instanceof StreamFailed)) throw error;
      this.closed = true;
      throw { tag: "last-operation-failed", val: new IoError(error.message) };
    }
  }
  // A promise (typed as the void it settles to) only from a sink whose writes never block, which
  // only a suspending guest writes: its glue awaits these (SUSPENDING_WASI_IMPORTS).
  blockingWriteAndFlush(contents: Uint8Array): void {
    this.write(contents);
    return this.roomAfterwards();
  }
  flush(): void {
    if (this.closed) throw CLOSED;
  }
  blockingFlush(): void {
    this.flush();
    return this.roomAfterwards();
  }
  writeZeroes(len: bigint): void {
    this.write(new Uint8Array(Number(len)));
  }
  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
    return this.roomAfterwards();
  }
  /** Waits, for a sink whose writes never block, until its window has room again. */
  private roomAfterwards(): void {
    const { sink } = this;
    if (sink.whenWritable && sink.capacity() === 0) return sink.whenWritable() as unknown as void;
  }
  splice(source: InputStream, len: bigint): bigint {
    const chunk = source.read(len);
    this.write(chunk);
    return BigInt(chunk.length);
  }
  blockingSplice(source: InputStream, len: bigint): bigint {
    const chunk = source.blockingRead(len) as Uint8Array | Promise<Uint8Array>;
    const written = (bytes: Uint8Array) => {
      this.write(bytes);
      return BigInt(bytes.length);
    };
    // A source that settles (a suspending guest's upstream body) answers a promise: so does this,
    // which that guest's glue awaits.
    return (chunk instanceof Promise ? chunk.then(written) : written(chunk)) as bigint;
  }
  /**
   * wasi:io 0.2.0-rc-2023-10-18's `forward`: the whole of `source`, until it closes. A source
   * that settles (a suspending guest's, see InputStream) makes it a promise the glue awaits.
   */
  forward(source: InputStream): bigint {
    let total = 0n;
    const ended = (error: unknown): bigint => {
      if (error === CLOSED) return total;
      throw error;
    };
    const rest = (): bigint | Promise<bigint> => {
      for (;;) {
        // Typed as its bytes, a settling source's read is a promise of them (see blockingRead).
        let chunk: unknown;
        try {
          chunk = source.blockingRead(WRITE_BUDGET);
        } catch (error) {
          return ended(error);
        }
        if (chunk instanceof Promise)
          return (chunk as Promise<Uint8Array>).then((bytes) => {
            this.write(bytes);
            total += BigInt(bytes.length);
            return rest();
          }, ended);
        const bytes = chunk as Uint8Array;
        this.write(bytes);
        total += BigInt(bytes.length);
      }
    };
    return rest() as bigint;
  }
  subscribe(): Pollable {
    const { sink } = this;
    if (!sink.whenWritable) return READY;
    return new Pollable(
      () => this.closed || sink.capacity() > 0,
      undefined,
      () => sink.whenWritable!(),
    );
  }
  /** Host side: the stream's owner has finished it (e.g. `outgoing-body.finish`). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose?.();
  }
  [Symbol.dispose](): void {
    // A dropped stream is not a finished body; the body's owner decides.
  }
}
