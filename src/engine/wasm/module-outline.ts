import { BinaryReader, readSections, SECTION } from "./binary-reader.js";

/** A core module's export names and custom section names, read without compiling it. */
export interface ModuleOutline {
  exports: string[];
  customSections: string[];
}

/** The outline of `bytes`, as far as they can be read (a module cut off midway gives what precedes the cut). */
export function moduleOutline(bytes: Uint8Array): ModuleOutline {
  const outline: ModuleOutline = { exports: [], customSections: [] };
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
    // What could be read is the outline.
  }
  return outline;
}

/**
 * Whether a core module carries a component type (a `component-type` custom section, as
 * wit-bindgen and `wasm-tools component embed` write): what Spin's SDKs build for wasm32-wasip1,
 * which becomes a component with the WASI preview1 adapter.
 */
export function carriesComponentType(outline: ModuleOutline): boolean {
  return outline.customSections.some((name) => name === "component-type" || name.startsWith("component-type:"));
}

/**
 * The HTTP handler ABIs of Spin's core modules from before components, each an export and the
 * allocator its host calls: wit-bindgen 0.2's (Spin 1.0 to 1.3 SDKs: `handle-http-request`) and the
 * component model's canonical ABI in a core module (wit-bindgen 0.8, Spin 1.4 and 1.5 SDKs: the
 * unversioned `fermyon:spin/inbound-http`). Their records are laid out alike.
 */
export const SPIN1_HANDLER_ABIS = [
  { handler: "handle-http-request", realloc: "canonical_abi_realloc" },
  { handler: "fermyon:spin/inbound-http#handle-request", realloc: "cabi_realloc" },
] as const;

export type Spin1HandlerAbi = (typeof SPIN1_HANDLER_ABIS)[number];

/** Which of Spin's pre-component HTTP ABIs a core module is built for, if any. */
export function spin1HandlerAbi(outline: ModuleOutline): Spin1HandlerAbi | undefined {
  return SPIN1_HANDLER_ABIS.find(
    (abi) => outline.exports.includes(abi.handler) && outline.exports.includes(abi.realloc),
  );
}
