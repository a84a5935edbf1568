import { ENTRY_MODULES } from "./code-location.js";
import { HTTP_EXECUTORS } from "./triggers/http/executors/registry.js";

/**
 * Every module the bundle keeps at its path (see scripts/bundle.mjs, which reads this list), with
 * the kind of thread that loads it: the server's main thread (the CLI; the translator's child
 * process shares its chunks), or a guest worker thread (its entry and the executors' worker modules).
 */
export const BUNDLE_ENTRIES: ReadonlyArray<{ path: string; thread: "main" | "worker" }> = [
  { path: ENTRY_MODULES.cli, thread: "main" },
  { path: ENTRY_MODULES.transpiler, thread: "main" },
  { path: ENTRY_MODULES.worker, thread: "worker" },
  ...HTTP_EXECUTORS.map((executor) => ({ path: executor.workerModule, thread: "worker" as const })),
];
