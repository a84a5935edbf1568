import { exportInstanceState } from "../wasm/export-instance-state.js";
import { MEMORY_IMPORT, importDefinedMemory } from "../wasm/import-memory.js";
import { SECTION, readSections } from "../wasm/binary-reader.js";
import { guardSizedOps } from "../wasm/meter-fuel.js";
import { isStatelessCore } from "../wasm/stateless-core.js";
import type { CoreDescription } from "./prepare-component.js";

/**
 * A core as Wisp instantiates it: its defined memory turned into an import of Wisp's pool (only a
 * memory the core defines is Wisp's to supply; one it imports belongs to another core instance of
 * the same component, as the preview1 adapter shares the main module's memory), and its state
 * exported when an instance can be reset to fresh (see export-instance-state). Done once, when
 * the component is translated: each pass copies the whole core (13 MB for componentize-js).
 */
export function rewriteCore(
  name: string,
  given: Uint8Array<ArrayBuffer>,
  writesTables: boolean,
): CoreDescription & { bytes: Uint8Array<ArrayBuffer> } {
  // A worker must be able to stop it at its deadline (see guardSizedOps).
  const original = guardSizedOps(given) ?? given;
  const rewritten = importDefinedMemory(original);
  const plan = rewritten && rewritten.slot.module === MEMORY_IMPORT.module ? rewritten : undefined;
  if (!plan) {
    if (isStatelessCore(original)) return { name, bytes: original, writesTables, stateless: true };
    // No memory of its own: its state is its globals and tables, and an instance can be kept (see KeptCore).
    const state = definesNoMemoryNorData(original)
      ? exportInstanceState(original, { tablesChange: writesTables })
      : undefined;
    if (!state) return { name, bytes: original, writesTables, stateless: false };
    return {
      name,
      bytes: state.bytes,
      writesTables,
      stateless: false,
      state: { globals: state.globals, tables: state.tables },
    };
  }
  const memory = { slot: plan.slot, shape: plan.shape };
  const state = exportInstanceState(plan.bytes, { tablesChange: writesTables });
  if (!state) return { name, bytes: plan.bytes, writesTables, stateless: false, memory };
  return {
    name,
    bytes: state.bytes,
    writesTables,
    stateless: false,
    memory,
    state: { globals: state.globals, tables: state.tables },
  };
}

/**
 * A core that defines no memory and writes none at instantiation: a memory it imports (the
 * preview1 adapter uses the main module's) is its owner's to reset, and a data segment into it
 * would be missing after that reset.
 */
function definesNoMemoryNorData(bytes: Uint8Array): boolean {
  return !readSections(bytes).some((section) => section.id === SECTION.MEMORY || section.id === SECTION.DATA);
}
