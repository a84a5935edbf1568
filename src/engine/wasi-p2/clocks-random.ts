import { randomBytes, randomFillSync } from "node:crypto";
import { realtimeNs } from "../wasi-p1/calls-process.js";
import { sleepMs } from "../wasi-p1/calls-poll.js";
import { Pollable } from "./io.js";

function until(deadline: bigint, suspends: boolean): Pollable {
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
    suspends ? () => (settled ??= settlesAt(deadline)) : undefined,
  );
}

/** Resolves once the monotonic clock has reached `deadline` (a timer may fire a little early). */
async function settlesAt(deadline: bigint): Promise<void> {
  for (;;) {
    const left = deadline - process.hrtime.bigint();
    if (left <= 0n) return;
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(Number(left) / 1e6))));
  }
}

/** wasi:clocks/monotonic-clock, its pollables blocking the thread or, for a suspending guest (see Pollable), settling. */
export function monotonicClockOf(suspends: boolean) {
  return {
    now: (): bigint => process.hrtime.bigint(),
    resolution: (): bigint => 1n,
    subscribeInstant: (when: bigint): Pollable => until(when, suspends),
    subscribeDuration: (duration: bigint): Pollable => until(process.hrtime.bigint() + duration, suspends),
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
