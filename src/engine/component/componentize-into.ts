import { createHash } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { WispError } from "../../errors/wisp-error.js";
import { GLUE_GENERATOR } from "./transpile-component.js";

// The translating process's side of componentizeModule: wasm-tools loads there, never in the server.

/**
 * Makes a component of a core module that carries a component type, as Spin does at load: wasm-tools'
 * `component new` with the WASI preview1 adapter (the reactor's, as jco ships it beside the glue
 * generator), so its `wasi_snapshot_preview1` imports become WASI 0.2's. Writes the component to
 * `out` and its sha256 to `out.sha256`, each whole or not at all.
 */
export async function componentizeInto(bytes: Uint8Array, out: string): Promise<void> {
  const { componentNew } = await import("@bytecodealliance/jco-transpile/wasm-tools");
  const adapter = await readFile(
    new URL("../lib/wasi_snapshot_preview1.reactor.wasm", import.meta.resolve(GLUE_GENERATOR)),
  );
  let component: Uint8Array;
  try {
    component = await componentNew(bytes, [["wasi_snapshot_preview1", adapter]]);
  } catch (error) {
    throw new WispError(
      "COMPONENT_INVALID_WASM",
      `it carries a component type, but no component can be made of it with the WASI preview1 adapter: ${(error as Error).message ?? String(error)}`,
      "rebuild it, or make it a component yourself (wasm-tools component new --adapt) and point source at the component",
    );
  }
  const digest = createHash("sha256").update(component).digest("hex");
  const staging = `${out}.tmp-${process.pid}`;
  await writeFile(staging, component);
  await rename(staging, out);
  await writeFile(staging, digest);
  await rename(staging, `${out}.sha256`);
}
