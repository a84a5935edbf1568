import type { BigIntStats } from "node:fs";
import { FstFlags } from "./constants.js";
import { Errno, WasiErrno } from "./errno.js";

interface Kept {
  hostAtime: bigint;
  hostMtime: bigint;
  atime: bigint;
  mtime: bigint;
}

/** The times a guest sees for a file: the host's, or the ones it set itself (see GuestTimes). */
export interface SeenTimes {
  atimeNs: bigint;
  mtimeNs: bigint;
}

const keyOf = (stats: BigIntStats) => `${stats.dev}:${stats.ino}`;

/** Seconds for node:fs, which takes no finer unit (and libuv then keeps microseconds of it). */
const seconds = (ns: bigint) => Number(ns / 1000n) / 1e6;

/**
 * File times as the guest set them. A preview1 guest sets nanoseconds and reads back exactly what
 * it set (wasmtime does), but node:fs can only set microseconds (libuv truncates what reaches
 * utimensat). So each instance keeps, per file (device, inode), the times its guest set, and
 * reports them in place of the host's for as long as the host still shows what that call left;
 * any later change to the file on the host shows through. Nothing else is faked: the host file
 * carries the times to the microsecond.
 */
export class GuestTimes {
  /** Made on the first set: most instances never set a time, and one is made per request. */
  private kept: Map<string, Kept> | undefined;

  seen(stats: BigIntStats): SeenTimes {
    const kept = this.kept?.get(keyOf(stats));
    return {
      atimeNs: kept?.hostAtime === stats.atimeNs ? kept.atime : stats.atimeNs,
      mtimeNs: kept?.hostMtime === stats.mtimeNs ? kept.mtime : stats.mtimeNs,
    };
  }

  /**
   * `*_filestat_set_times`: `set` applies seconds on the host, `stat` reads the file back. A time
   * whose flags ask for neither a value nor "now" keeps what the guest saw.
   */
  set(
    before: BigIntStats,
    atim: bigint,
    mtim: bigint,
    flags: number,
    set: (atime: number, mtime: number) => void,
    stat: () => BigIntStats,
  ): void {
    const now = BigInt(Date.now()) * 1_000_000n;
    const seen = this.seen(before);
    const atime = flags & FstFlags.ATIM_NOW ? now : flags & FstFlags.ATIM ? atim : seen.atimeNs;
    const mtime = flags & FstFlags.MTIM_NOW ? now : flags & FstFlags.MTIM ? mtim : seen.mtimeNs;
    set(seconds(atime), seconds(mtime));
    const after = stat();
    (this.kept ??= new Map()).set(keyOf(after), { hostAtime: after.atimeNs, hostMtime: after.mtimeNs, atime, mtime });
  }
}

/** A value and "now" for the same time contradict each other (wasmtime refuses them too). */
export function checkFstFlags(flags: number): void {
  if ((flags & FstFlags.ATIM && flags & FstFlags.ATIM_NOW) || (flags & FstFlags.MTIM && flags & FstFlags.MTIM_NOW)) {
    throw new WasiErrno(Errno.INVAL);
  }
}
