import { WispError } from "../errors/wisp-error.js";
import { importDefinedMemory, type MemoryImportPlan } from "../engine/wasm/import-memory.js";
import { binaryKind } from "../engine/wasm/binary-reader.js";

export interface CompiledModule {
  module: WebAssembly.Module;
  /** How to give each instance a pooled memory; absent when the module's memory cannot be pooled. */
  memory?: Omit<MemoryImportPlan, "bytes">;
}

/**
 * Compiles a WASI preview1 core module once, at start, rewritten to import its memory so each
 * request can run in a pooled, zeroed memory. Invalid wasm fails here, naming the component and file.
 */
export async function compileCoreModule(componentId: string, file: string, bytes: Uint8Array<ArrayBuffer>): Promise<CompiledModule> {
  const kind = binaryKind(bytes);
  if (kind !== "module") {
    throw new WispError(
      "COMPONENT_INVALID_WASM",
      `component ${componentId}: ${file} is ${kind === "component" ? "a component, not a WASI preview1 module" : "not a WebAssembly binary"}`,
      kind === "component"
        ? "use the default executor (wasi:http) for components; WAGI runs core modules"
        : "check `source` points at a .wasm file built for wasm32-wasi",
    );
  }
  try {
    const plan = importDefinedMemory(bytes);
    const module = await WebAssembly.compile(plan?.bytes ?? bytes);
    return plan ? { module, memory: { slot: plan.slot, shape: plan.shape } } : { module };
  } catch (error) {
    throw new WispError(
      "COMPONENT_INVALID_WASM",
      `component ${componentId}: ${file} is not valid WebAssembly: ${(error as Error).message}`,
      "rebuild the module; if it was downloaded, check the file is complete",
    );
  }
}
