import { readFileSync } from "node:fs";
import { fork } from "node:child_process";
import { WispError } from "../../errors/wisp-error.js";
import { entryUrl } from "../../code-location.js";

/**
 * The glue comes from jco 1.12 (installed as `jco-sync-glue`), pinned on purpose. From jco 1.15 (and every jco-transpile) the
 * sync glue builds the component-model-async runtime (task objects, generators, debug hooks)
 * inside each instantiation and around each host call, which cut throughput by an order of
 * magnitude (BENCHMARKS.md): Wisp instantiates per request, so that cost is the whole budget.
 * Re-measure (`npm run bench`) before moving it.
 */
export const GLUE_GENERATOR = "jco-sync-glue";

/**
 * The glue of components that use the component model's async ABI (WASI 0.3: `async func`,
 * streams, futures), which jco 1.12 cannot translate: jco-transpile's, whose runtime for that ABI
 * is the cost measured above, paid here only by the components that need it.
 */
export const ASYNC_GLUE_GENERATOR = "@bytecodealliance/jco-transpile";

/**
 * Which glue a component is translated into: jco 1.12's synchronous glue; the same with the
 * imports that wait (see SuspendingGlue) suspending the guest on JSPI; or the async ABI's (see
 * ASYNC_GLUE_GENERATOR).
 */
export type GlueKind = "sync" | "suspending" | "async";

/**
 * What a suspending glue is made with (jco's JSPI mode): the imports whose host functions may
 * answer a promise, named as jco names them (`wasi:io/poll#poll`,
 * `fermyon:spin/redis#[method]connection.get`), and the exports that then answer promises.
 * While one waits, the guest's stack is put aside and its thread runs other guests. An async
 * glue (WASI 0.3) takes one too: its synchronous imports that wait (Spin 3's, beside Spin 4's).
 */
export interface SuspendingGlue {
  imports: readonly string[];
  exports: readonly string[];
}

const generatorVersions = new Map<GlueKind, string>();

/**
 * Part of the cache key: new glue for a new jco. (Its package.json is not exported, so read it by path.)
 * Read when first asked, not when this module loads: resolving the package took ~5 ms of every
 * start on Node 20, a WAGI app's too, which never translates a component.
 */
export function glueGeneratorVersion(kind: GlueKind = "sync"): string {
  let version = generatorVersions.get(kind);
  if (!version) {
    // Each entry (jco 1.12: src/api.js, jco-transpile: dist/index.js) sits one folder below its package.json.
    const entry = import.meta.resolve(kind === "async" ? ASYNC_GLUE_GENERATOR : GLUE_GENERATOR);
    version = (JSON.parse(readFileSync(new URL("../package.json", entry), "utf8")) as { version: string }).version;
    generatorVersions.set(kind, version);
  }
  return version;
}

/** What the translating process sends back: that it wrote the cache entry, or why not. */
export type TranspileOutcome = { ok: true } | { ok: false; message: string; code?: WispError["code"]; hint?: string };

/** What the translating process is given: a component to translate into `dir`, or a core module to make a component of, into `out`. */
export type TranspileJob =
  | {
      kind: "transpile";
      bytes: Uint8Array;
      dir: string;
      map: Readonly<Record<string, string>>;
      glue: GlueKind;
      suspending?: SuspendingGlue;
    }
  | { kind: "componentize"; bytes: Uint8Array; out: string };

/**
 * Runs transpileInto (transpile-into.ts) in a process of its own, which then exits. jco's translator is itself a large
 * WebAssembly component: run in the server's process, even on a thread that exits, it left
 * hundreds of MB of the server's memory resident for as long as the server ran (BENCHMARKS.md).
 * A process gives it all back.
 */
export function transpileInProcess(
  bytes: Uint8Array,
  dir: string,
  map: Readonly<Record<string, string>>,
  glue: GlueKind = "sync",
  suspending?: SuspendingGlue,
): Promise<void> {
  return inTranslator({ kind: "transpile", bytes, dir, map, glue, suspending });
}

/** Runs componentizeInto (componentize-into.ts) in the translating process, for the same reason. */
export function componentizeInProcess(bytes: Uint8Array, out: string): Promise<void> {
  return inTranslator({ kind: "componentize", bytes, out });
}

function inTranslator(job: TranspileJob): Promise<void> {
  const child = fork(entryUrl("transpiler"), [], {
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    let outcome: TranspileOutcome | undefined;
    child.once("message", (message: TranspileOutcome) => (outcome = message));
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (outcome?.ok) return resolve();
      if (outcome?.code) return reject(new WispError(outcome.code, outcome.message, outcome.hint));
      reject(
        new Error(outcome?.message ?? `the process translating the component ended with ${signal ?? `code ${code}`}`),
      );
    });
    child.send(job);
  });
}
