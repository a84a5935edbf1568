import { BinaryReader, readSections, SECTION } from "../../../../engine/wasm/binary-reader.js";
import { WispError } from "../../../../errors/wisp-error.js";

/** What Spin 1's SDKs export from an HTTP handler module (Spin's first HTTP ABI). */
const SPIN_1_HTTP_EXPORTS = ["handle-http-request", "spin_http_handle_http_request"];

/**
 * Why the wasi:http executor will not run a core module (`bytes`), in the words of what the module
 * is: a module of Spin's first HTTP ABI, a module that carries a component type (Spin's SDKs of
 * Spin 2 and 3 build these; Spin makes a component of it at load), or a WASI command (WAGI's).
 */
export function moduleRefusal(id: string, file: string, bytes: Uint8Array): WispError {
  const { exports, customSections } = moduleOutline(bytes);
  const what = `component ${id}: ${file} is a WASI preview1 module, not a wasi:http component`;
  if (exports.some((name) => SPIN_1_HTTP_EXPORTS.includes(name)))
    return new WispError(
      "COMPONENT_INVALID_WASM",
      `${what}: it is built for Spin's first HTTP ABI (Spin 1 SDKs; it exports handle-http-request), which this version of Wisp does not run`,
      "rebuild it with a Spin 2 or 3 SDK (see the README's compatibility table)",
    );
  if (customSections.some((name) => name === "component-type" || name.startsWith("component-type:")))
    return new WispError(
      "COMPONENT_INVALID_WASM",
      `${what}: it carries a component type (as Spin's SDKs build for wasm32-wasip1), and Wisp does not yet make a component of it at load as Spin does`,
      "make it a component first, e.g. `npx @bytecodealliance/jco new module.wasm --wasi-reactor -o component.wasm`, and point source at the component",
    );
  return new WispError(
    "COMPONENT_INVALID_WASM",
    what,
    'serve it with the WAGI executor: executor = { type = "wagi" } on its [[trigger.http]]',
  );
}

/** A core module's export names and custom section names, read without compiling it. */
function moduleOutline(bytes: Uint8Array): { exports: string[]; customSections: string[] } {
  const outline = { exports: [] as string[], customSections: [] as string[] };
  try {
    for (const section of readSections(bytes)) {
      const reader = new BinaryReader(bytes.subarray(0, section.end), section.contentStart);
      if (section.id === SECTION.CUSTOM) outline.customSections.push(reader.name());
      if (section.id !== SECTION.EXPORT) continue;
      for (let count = reader.u32(); count > 0; count--) {
        outline.exports.push(reader.name());
        reader.byte(); // kind
        reader.u32(); // index
      }
    }
  } catch {
    // A module that cannot be read this far is refused all the same, for what it is not.
  }
  return outline;
}
