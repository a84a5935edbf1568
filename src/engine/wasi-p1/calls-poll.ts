import { beforeBlocking } from "../io/before-blocking.js";
import { EventType } from "./constants.js";
import { Errno, WasiErrno, errnoOf } from "./errno.js";
import { clockNs } from "./calls-process.js";
import type { WasiCallContext } from "./wasi-context.js";

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the guest's thread (it is a worker, or `wisp run`'s main thread) for `ms`. */
export function sleepMs(ms: number): void {
  if (ms <= 0) return;
  beforeBlocking();
  Atomics.wait(SLEEPER, 0, 0, ms);
}

interface Subscription {
  userdata: bigint;
  type: number;
  /** clock: absolute deadline on the monotonic clock (ns). */
  deadline?: bigint;
  fd?: number;
}

const SUBSCRIPTION_SIZE = 48;
const EVENT_SIZE = 32;
const POLL_STEP_MS = 1;

/**
 * `poll_oneoff`: clocks sleep, stdio and files are checked for readiness. A stream that is not
 * ready yet is polled in short steps, because guests only ever wait on stdin here.
 */
export function pollCalls(ctx: WasiCallContext) {
  function readSubscriptions(ptr: number, count: number): Subscription[] {
    const subscriptions: Subscription[] = [];
    for (let i = 0; i < count; i++) {
      const base = ptr + i * SUBSCRIPTION_SIZE;
      const userdata = ctx.memory.getU64(base);
      const type = ctx.memory.dataView().getUint8(base + 8);
      if (type === EventType.CLOCK) {
        const id = ctx.memory.getU32(base + 16);
        const timeout = ctx.memory.getU64(base + 24);
        const absolute = (ctx.memory.dataView().getUint16(base + 40, true) & 1) !== 0;
        const now = process.hrtime.bigint();
        const deadline = absolute ? now + (timeout - clockNs(id)) : now + timeout;
        subscriptions.push({ userdata, type, deadline });
      } else if (type === EventType.FD_READ || type === EventType.FD_WRITE) {
        subscriptions.push({ userdata, type, fd: ctx.memory.getU32(base + 16) });
      } else {
        throw new WasiErrno(Errno.INVAL);
      }
    }
    return subscriptions;
  }

  /** 0 when ready, an errno when the fd is bad, undefined when not ready yet. */
  function fdReadiness(subscription: Subscription): number | undefined {
    try {
      const descriptor = ctx.fds.get(subscription.fd!);
      if (subscription.type === EventType.FD_READ && descriptor.kind === "stream") {
        if (!descriptor.input) return Errno.BADF;
        return descriptor.input.ready() ? 0 : undefined;
      }
      if (subscription.type === EventType.FD_WRITE && descriptor.kind === "stream" && !descriptor.output)
        return Errno.BADF;
      return 0;
    } catch (error) {
      return errnoOf(error);
    }
  }

  return {
    poll_oneoff(inPtr: number, outPtr: number, count: number, neventsPtr: number): number {
      if (count === 0) throw new WasiErrno(Errno.INVAL);
      const subscriptions = readSubscriptions(inPtr, count);
      for (;;) {
        const now = process.hrtime.bigint();
        const events: Array<{ userdata: bigint; type: number; error: number }> = [];
        for (const s of subscriptions) {
          if (s.type === EventType.CLOCK) {
            if (s.deadline! <= now) events.push({ userdata: s.userdata, type: s.type, error: 0 });
          } else {
            const ready = fdReadiness(s);
            if (ready !== undefined) events.push({ userdata: s.userdata, type: s.type, error: ready });
          }
        }
        if (events.length > 0) {
          events.forEach((event, i) => {
            const base = outPtr + i * EVENT_SIZE;
            ctx.memory.slice(base, EVENT_SIZE).fill(0);
            ctx.memory.setU64(base, event.userdata);
            ctx.memory.setU16(base + 8, event.error);
            ctx.memory.setU8(base + 10, event.type);
          });
          ctx.memory.setU32(neventsPtr, events.length);
          return Errno.SUCCESS;
        }
        const clocks = subscriptions.filter((s) => s.type === EventType.CLOCK).map((s) => s.deadline!);
        const waitsOnFds = clocks.length < subscriptions.length;
        const nearest = clocks.length > 0 ? clocks.reduce((a, b) => (a < b ? a : b)) : undefined;
        const untilClockMs = nearest === undefined ? Infinity : Math.ceil(Number(nearest - now) / 1e6);
        sleepMs(waitsOnFds ? Math.min(POLL_STEP_MS, untilClockMs) : untilClockMs);
      }
    },

    sock_accept: (fd: number) => notSocket(ctx, fd),
    sock_recv: (fd: number) => notSocket(ctx, fd),
    sock_send: (fd: number) => notSocket(ctx, fd),
    sock_shutdown: (fd: number) => notSocket(ctx, fd),
  };
}

/** Wisp grants no sockets through preview1: every fd is a bad one or not a socket. */
function notSocket(ctx: WasiCallContext, fd: number): number {
  ctx.fds.get(fd);
  return Errno.NOTSOCK;
}
