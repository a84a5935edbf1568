import type { MemoryImportPlan } from "./import-memory.js";

/** A core module compiled once at start, as a worker receives it (structured-cloneable). */
export interface CompiledModule {
  module: WebAssembly.Module;
  /** How to give each instance a pooled memory; absent when the module's memory cannot be pooled. */
  memory?: Omit<MemoryImportPlan, "bytes">;
}
