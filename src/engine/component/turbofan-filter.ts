import { setFlagsFromString } from "node:v8";
import { isMainThread } from "node:worker_threads";
import { stat } from "node:fs/promises";
import { BIG_GLUE_INIT, MAX_PLAIN_GLUE_CHARS } from "./plain-init.js";

let applied = false;

/**
 * Tells V8's optimising compiler, TurboFan, to skip the function named BIG_GLUE_INIT (big glue's
 * `init`, see plain-init.ts) and nothing else: it stays in V8's interpreter and baseline tiers.
 *
 * Measured on the http-ts hello (a 13 MB componentize-js component), under wrk:
 * - TurboFan compiled that `init` once per worker, and each compile took 1.9–2.3 s of a
 *   background thread (`--trace-opt`); it was 4 s of the 6 s all TurboFan compiles took. On two
 *   cores, that is CPU the workers' first seconds of load did not get, and compiler memory.
 * - With `init` skipped, requests per second did not drop: it runs once per request, for
 *   microseconds, beside the milliseconds the engine itself runs.
 *
 * V8's flags are per process, and setting one at run time has two costs, hence once, by main,
 * and only once the threads have booted:
 * - It is not thread-safe: a second set frees the string the first one made, which a compiler
 *   thread may be reading (two workers setting it at once crashed a server with
 *   "munmap_chunk(): invalid pointer"). On a worker this does nothing.
 * - V8 rejects code cached under other flags, Node's cache of its own modules included: two
 *   worker threads booted in 66–80 ms, and in 124–144 ms after the set. A thread started later
 *   (a replacement, a reload's) boots that much slower.
 * (A `--turbo-filter` given to node is replaced.)
 */
export function keepTurbofanOffBigGlueInit(): void {
  if (applied || !isMainThread) return;
  applied = true;
  setFlagsFromString(`--turbo-filter=-${BIG_GLUE_INIT}`);
}

/** Whether a glue file may hold BIG_GLUE_INIT: it has more bytes than plain glue may have characters. */
export async function mayHoldBigGlueInit(glueFile: string): Promise<boolean> {
  return (await stat(glueFile)).size > MAX_PLAIN_GLUE_CHARS;
}
