import { randomFillSync } from "node:crypto";
import { ClockId } from "./constants.js";
import { Errno, WasiErrno } from "./errno.js";
import type { CStrings } from "./c-strings.js";
import type { WasiCallContext } from "./wasi-context.js";

/** Thrown by `proc_exit` to unwind the guest; the runner turns it into the exit code. */
export class ProcExit extends Error {
  override readonly name = "ProcExit";
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Wall-clock time in nanoseconds, with the sub-millisecond part from the monotonic clock. */
const ORIGIN_NS = BigInt(Math.round(performance.timeOrigin * 1e6));
export function realtimeNs(): bigint {
  return ORIGIN_NS + BigInt(Math.round(performance.now() * 1e6));
}

export function clockNs(id: number): bigint {
  switch (id) {
    case ClockId.REALTIME:
      return realtimeNs();
    case ClockId.MONOTONIC:
      return process.hrtime.bigint();
    case ClockId.PROCESS_CPUTIME:
    case ClockId.THREAD_CPUTIME: {
      const usage = process.cpuUsage();
      return BigInt(usage.user + usage.system) * 1000n;
    }
    default:
      throw new WasiErrno(Errno.INVAL);
  }
}

function putStrings(ctx: WasiCallContext, strings: CStrings, pointersPtr: number, bufferPtr: number): number {
  strings.put(ctx.memory, pointersPtr, bufferPtr);
  return Errno.SUCCESS;
}

function putSizes(ctx: WasiCallContext, strings: CStrings, countPtr: number, sizePtr: number): number {
  ctx.memory.setU32(countPtr, strings.count);
  ctx.memory.setU32(sizePtr, strings.size);
  return Errno.SUCCESS;
}

/** args, environment, clocks, randomness, exit. */
export function processCalls(ctx: WasiCallContext) {
  return {
    args_get: (argv: number, buf: number) => putStrings(ctx, ctx.args, argv, buf),
    args_sizes_get: (count: number, size: number) => putSizes(ctx, ctx.args, count, size),
    environ_get: (environ: number, buf: number) => putStrings(ctx, ctx.env, environ, buf),
    environ_sizes_get: (count: number, size: number) => putSizes(ctx, ctx.env, count, size),

    clock_res_get(id: number, resultPtr: number): number {
      clockNs(id);
      ctx.memory.setU64(resultPtr, id === ClockId.MONOTONIC ? 1n : 1000n);
      return Errno.SUCCESS;
    },
    clock_time_get(id: number, _precision: bigint, resultPtr: number): number {
      ctx.memory.setU64(resultPtr, clockNs(id));
      return Errno.SUCCESS;
    },

    random_get(ptr: number, len: number): number {
      ctx.charge(len);
      randomFillSync(ctx.memory.slice(ptr, len));
      return Errno.SUCCESS;
    },

    proc_exit(code: number): never {
      throw new ProcExit(code);
    },
    proc_raise: (_signal: number) => Errno.NOSYS,
    sched_yield: () => Errno.SUCCESS,
  };
}
