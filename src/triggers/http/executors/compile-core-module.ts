import { WispError } from "../../../errors/wisp-error.js";
import { importDefinedMemory } from "../../../engine/wasm/import-memory.js";
import { binaryKind } from "../../../engine/wasm/binary-reader.js";
import { compileWasm } from "../../../engine/wasm/compile.js";
import type { CompiledModule } from "../../../engine/wasm/compiled-module.js";
import { mayHaveSizedOps } from "../../../engine/wasm/sized-ops.js";
import { PREVIEW1_FUNCTIONS, WASI_CORE_MODULES } from "../../../engine/wasi-p1/index.js";

/** Import modules a core module may import beside WASI preview1, with their functions, and what to say of any other. */
export interface OtherImports {
  functions: ReadonlyMap<string, ReadonlySet<string>>;
  hint: string;
}

/**
 * Compiles a WASI preview1 core module once, at start, rewritten to import its memory so each
 * request can run in a pooled, zeroed memory. Invalid wasm fails here, naming the component and
 * file; so does an import Wisp does not provide (preview1's, and `others`').
 */
export async function compileCoreModule(
  componentId: string,
  file: string,
  bytes: Uint8Array<ArrayBuffer>,
  entrypoints: readonly string[] = ["_start"],
  others?: OtherImports,
): Promise<CompiledModule> {
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
  let compiled: CompiledModule;
  try {
    const plan = importDefinedMemory(bytes);
    const rewritten = plan?.bytes ?? bytes;
    // A worker must be able to stop it at its deadline (see guardSizedOps).
    const guarded = mayHaveSizedOps(rewritten)
      ? (await import("../../../engine/wasm/meter-fuel.js")).guardSizedOps(rewritten)
      : undefined;
    const module = await compileWasm(guarded ?? rewritten);
    compiled = plan ? { module, memory: { slot: plan.slot, shape: plan.shape } } : { module };
  } catch (error) {
    throw new WispError(
      "COMPONENT_INVALID_WASM",
      `component ${componentId}: ${file} is not valid WebAssembly: ${(error as Error).message}`,
      "rebuild the module; if it was downloaded, check the file is complete",
    );
  }
  checkLinks(componentId, file, compiled, entrypoints, others);
  return compiled;
}

/** Refuses at start what could only fail on the first request: an import Wisp cannot satisfy, no `_start`. */
function checkLinks(
  componentId: string,
  file: string,
  compiled: CompiledModule,
  entrypoints: readonly string[],
  others: OtherImports | undefined,
): void {
  const slot = compiled.memory?.slot;
  const unknown = WebAssembly.Module.imports(compiled.module).filter((entry) => {
    if (slot && entry.module === slot.module && entry.name === slot.name) return false;
    if (entry.kind !== "function") return true;
    if (WASI_CORE_MODULES.has(entry.module)) return !PREVIEW1_FUNCTIONS.has(entry.name);
    return !others?.functions.get(entry.module)?.has(entry.name);
  });
  if (unknown.length > 0) {
    throw new WispError(
      "COMPONENT_LINK",
      `component ${componentId}: ${file} imports ${unknown.map((i) => `${i.module}.${i.name}`).join(", ")}, which Wisp does not provide`,
      others?.hint ??
        "build it as a WASI preview1 command (wasm32-wasi / wasm32-wasip1) that imports only wasi_snapshot_preview1",
    );
  }
  const functions = new Set(
    WebAssembly.Module.exports(compiled.module)
      .filter((e) => e.kind === "function")
      .map((e) => e.name),
  );
  for (const entrypoint of entrypoints) {
    if (functions.has(entrypoint)) continue;
    throw new WispError(
      "COMPONENT_LINK",
      `component ${componentId}: ${file} exports no ${entrypoint} function`,
      entrypoint === "_start"
        ? "WAGI runs WASI commands: build an executable (with a main function), not a library or reactor"
        : `export ${entrypoint}, or fix the executor's entrypoint`,
    );
  }
}
