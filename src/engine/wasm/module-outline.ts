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
 * Whether a core module is built for Spin's first HTTP ABI (Spin 1's SDKs, wit-bindgen 0.2): it
 * exports `handle-http-request` and the allocator its host calls (`canonical_abi_realloc`).
 */
export function exportsSpin1Handler(outline: ModuleOutline): boolean {
  return outline.exports.includes("handle-http-request") && outline.exports.includes("canonical_abi_realloc");
}
