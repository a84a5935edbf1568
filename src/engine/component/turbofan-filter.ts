import { setFlagsFromString } from "node:v8";
import { isMainThread } from "node:worker_threads";
import { stat } from "node:fs/promises";
import { BIG_GLUE_INIT, MAX_PLAIN_GLUE_CHARS } from "./plain-init.js";

let applied = false;

/**
 * Tells V8's optimising compiler, TurboFan, to skip the function named BIG_GLUE_INIT (big glue's
 * `init`, see plain-init.ts) and nothing else: it stays in V8's interpreter and baseline tiers.
 *
 * Why: TurboFan compiled that `init` once per worker, for seconds of a background thread, CPU the
 * workers' first seconds of load did not get; skipped, it costs nothing, as it runs once per
 * request for a tiny share of what the engine itself runs (BENCHMARKS.md).
 *
 * V8's flags are per process, and setting one at run time has two costs, hence once, by main,
 * and only once the threads have booted:
 * - It is not thread-safe: a second set frees the string the first one made, which a compiler
 *   thread may be reading (two workers setting it at once crashed a server with
 *   "munmap_chunk(): invalid pointer"). On a worker this does nothing.
 * - V8 rejects code cached under other flags, Node's cache of its own modules included: a thread
 *   started after the set (a replacement, a reload's) boots markedly slower.
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
