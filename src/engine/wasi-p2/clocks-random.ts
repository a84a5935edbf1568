import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes, randomFillSync } from "node:crypto";
import { realtimeNs } from "../wasi-p1/calls-process.js";
import { sleepMs } from "../wasi-p1/calls-poll.js";
import { Pollable } from "./io.js";

function until(deadline: bigint, suspends: boolean, letGo?: AbortSignal): Pollable {
  const ready = () => process.hrtime.bigint() >= deadline;
  let settled: Promise<void> | undefined;
  return new Pollable(
    ready,
    () => {
      for (;;) {
        const left = deadline - process.hrtime.bigint();
        if (left <= 0n) return;
        sleepMs(Math.max(1, Math.ceil(Number(left) / 1e6)));
      }
    },
    suspends ? () => (settled ??= settlesAt(deadline, letGo)) : undefined,
  );
}

/**
 * Resolves once the monotonic clock has reached `deadline` (a timer may fire a little early);
 * rejects as soon as the request is let go of, so that a guest waiting an hour unwinds now and its
 * instance is freed.
 */
async function settlesAt(deadline: bigint, letGo?: AbortSignal): Promise<void> {
  for (;;) {
    letGo?.throwIfAborted();
    const left = deadline - process.hrtime.bigint();
    if (left <= 0n) return;
    await sleep(Math.max(1, Math.ceil(Number(left) / 1e6)), undefined, letGo ? { signal: letGo } : undefined);
  }
}

/**
 * wasi:clocks/monotonic-clock, its pollables blocking the thread or, for a suspending guest (see
 * Pollable), settling; `letGo` ends a suspending guest's waits when its request is let go of.
 */
export function monotonicClockOf(suspends: boolean, letGo?: AbortSignal) {
  return {
    now: (): bigint => process.hrtime.bigint(),
    resolution: (): bigint => 1n,
    subscribeInstant: (when: bigint): Pollable => until(when, suspends, letGo),
    subscribeDuration: (duration: bigint): Pollable => until(process.hrtime.bigint() + duration, suspends, letGo),
  };
}

export const monotonicClock = monotonicClockOf(false);

export const wallClock = {
  now: () => {
    const ns = realtimeNs();
    return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
  },
  resolution: () => ({ seconds: 0n, nanoseconds: 1000 }),
};

export const random = {
  getRandomBytes: (len: bigint): Uint8Array => new Uint8Array(randomBytes(Number(len))),
  getRandomU64: (): bigint => randomFillSync(new BigUint64Array(1))[0]!,
};

export const insecureRandom = {
  getInsecureRandomBytes: random.getRandomBytes,
  getInsecureRandomU64: random.getRandomU64,
};

export const insecureSeed = {
  insecureSeed: (): [bigint, bigint] => {
    const seed = randomFillSync(new BigUint64Array(2));
    return [seed[0]!, seed[1]!];
  },
};
