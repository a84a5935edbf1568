import { setTimeout as sleep } from "node:timers/promises";
import { insecureRandom as insecure02, random as random02, wallClock } from "../wasi-p2/clocks-random.js";
import type * as MonotonicClock from "../../generated/wasi-clocks@0.3.0/interfaces/wasi-clocks-monotonic-clock.js";
import type * as SystemClock from "../../generated/wasi-clocks@0.3.0/interfaces/wasi-clocks-system-clock.js";
import type * as Random from "../../generated/wasi-random@0.3.0/interfaces/wasi-random-random.js";
import type * as Insecure from "../../generated/wasi-random@0.3.0/interfaces/wasi-random-insecure.js";
import type * as InsecureSeed from "../../generated/wasi-random@0.3.0/interfaces/wasi-random-insecure-seed.js";

/** Waits are capped so that a guest's `wait-for(u64::MAX)` is an hour, not a timer Node refuses (its limit is 2^31 - 1 ms). */
const LONGEST_WAIT_MS = 3_600_000;

function wait(ns: bigint): Promise<void> {
  if (ns <= 0n) return Promise.resolve();
  return sleep(Math.min(LONGEST_WAIT_MS, Math.ceil(Number(ns) / 1e6))).then(() => undefined);
}

/**
 * wasi:clocks 0.3: the monotonic clock's waits are async functions, so a guest that waits yields
 * its thread (the glue suspends it on JSPI) where 0.2's `pollable.block` slept on it.
 */
export const monotonicClock = {
  now: (): bigint => process.hrtime.bigint(),
  getResolution: (): bigint => 1n,
  waitUntil: (when: bigint): Promise<void> => wait(when - process.hrtime.bigint()),
  waitFor: (howLong: bigint): Promise<void> => wait(howLong),
} satisfies typeof MonotonicClock;

/** 0.2's wall clock renamed, its resolution now a duration in nanoseconds. */
export const systemClock = {
  now: wallClock.now,
  getResolution: (): bigint => 1000n,
} satisfies typeof SystemClock;

/**
 * UTC: a guest learns nothing of the host's zone (as 0.2's rc-2023-10-18 timezone, see
 * wasi-p2/releases). The interface is `@unstable` in 0.3.0, so not in wit/: untyped.
 */
export const timezone = {
  ianaId: (): string | undefined => "UTC",
  utcOffset: (): bigint | undefined => 0n,
  toDebugString: (): string => "UTC",
};

/** 0.2's, unchanged in 0.3. */
export const random = random02 satisfies typeof Random;
export const insecureRandom = insecure02 satisfies typeof Insecure;

/**
 * `get-insecure-seed`, whose value must be the same on every call (a language runtime seeds its
 * hash maps with it once): one seed per host, drawn when first asked.
 */
export function insecureSeed() {
  let seed: [bigint, bigint] | undefined;
  return {
    getInsecureSeed: (): [bigint, bigint] => (seed ??= [random.getRandomU64(), random.getRandomU64()]),
  } satisfies typeof InsecureSeed;
}
