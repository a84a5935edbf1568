import {
  BinaryReader,
  concatBytes,
  encodeName,
  encodeU32,
  readSections,
  skipLimits,
  type Section,
} from "./binary-reader.js";

/** Where a rewritten module finds its memory. */
export const MEMORY_IMPORT = { module: "wisp:runtime", name: "memory" } as const;

const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const IMPORT_KIND_MEMORY = 0x02;

export interface MemoryShape {
  /** Pages (64 KiB) the module asks for at start. */
  initial: number;
  /** The module's own maximum in pages, if it declares one. */
  maximum?: number;
}

export interface MemoryImportPlan {
  bytes: Uint8Array<ArrayBuffer>;
  /** How the module's memory is supplied: an import at `MEMORY_IMPORT`, or one the module already imports. */
  slot: { module: string; name: string };
  shape: MemoryShape;
}

/**
 * Rewrites a core module that defines its one linear memory into one that imports it from
 * `wisp:runtime`/`memory`, so that each instance can be given a pooled, zeroed memory instead of
 * allocating a new `WebAssembly.Memory` per request (the dominant per-request cost, see DESIGN.md).
 * A module that already imports its single memory is reported as is. Returns `undefined` for what
 * pooling cannot serve (shared or 64-bit memory, several memories, no memory): those run unpooled.
 */
export function importDefinedMemory(bytes: Uint8Array<ArrayBuffer>): MemoryImportPlan | undefined {
  const sections = readSections(bytes);
  const importSection = sections.find((s) => s.id === SECTION_IMPORT);
  const memorySection = sections.find((s) => s.id === SECTION_MEMORY);
  const imported = importSection ? importedMemories(bytes, importSection) : [];
  const defined = memorySection ? definedMemories(bytes, memorySection) : [];
  if (imported.length + defined.length !== 1) return undefined;
  if (imported.length === 1) {
    const memory = imported[0]!;
    if (!memory.shape) return undefined;
    return { bytes, slot: { module: memory.module, name: memory.name }, shape: memory.shape };
  }
  const shape = defined[0];
  if (!shape || !memorySection) return undefined;

  const entry = [
    ...encodeName(MEMORY_IMPORT.module),
    ...encodeName(MEMORY_IMPORT.name),
    IMPORT_KIND_MEMORY,
    ...encodeLimits(shape),
  ];
  const parts: Uint8Array[] = [];
  let cursor = 0;
  const copyUpTo = (offset: number) => {
    parts.push(bytes.subarray(cursor, offset));
    cursor = offset;
  };
  if (importSection) {
    const reader = new BinaryReader(bytes, importSection.contentStart);
    const count = reader.u32();
    const rest = bytes.subarray(reader.offset, importSection.end);
    copyUpTo(importSection.start);
    parts.push(section(SECTION_IMPORT, [...encodeU32(count + 1)], rest, entry));
    cursor = importSection.end;
  } else {
    const typeSection = sections.find((s) => s.id === SECTION_TYPE);
    const insertAt = typeSection ? typeSection.end : firstSectionAfter(sections, SECTION_IMPORT);
    copyUpTo(insertAt);
    parts.push(section(SECTION_IMPORT, [1], new Uint8Array(0), entry));
  }
  // Drop the memory section: the single memory is now the imported one, index 0 as before.
  copyUpTo(memorySection.start);
  cursor = memorySection.end;
  copyUpTo(bytes.length);
  return { bytes: concatBytes(parts), slot: { ...MEMORY_IMPORT }, shape };
}

function firstSectionAfter(sections: Section[], id: number): number {
  const next = sections.find((s) => s.id !== 0 && s.id > id);
  return next ? next.start : (sections.at(-1)?.end ?? 8);
}

function section(id: number, head: number[], body: Uint8Array, tail: number[]): Uint8Array<ArrayBuffer> {
  const size = head.length + body.length + tail.length;
  return concatBytes([Uint8Array.from([id, ...encodeU32(size), ...head]), body, Uint8Array.from(tail)]);
}

function encodeLimits(shape: MemoryShape): number[] {
  return shape.maximum === undefined
    ? [0x00, ...encodeU32(shape.initial)]
    : [0x01, ...encodeU32(shape.initial), ...encodeU32(shape.maximum)];
}

/** Reads memory limits; `undefined` for shared or 64-bit memories, which pooling leaves alone. */
function readLimits(reader: BinaryReader): MemoryShape | undefined {
  const flags = reader.byte();
  const initial = reader.u32();
  const maximum = flags & 0x01 ? reader.u32() : undefined;
  if (flags & ~0x01) return undefined;
  return maximum === undefined ? { initial } : { initial, maximum };
}

function definedMemories(bytes: Uint8Array, memorySection: Section): Array<MemoryShape | undefined> {
  const reader = new BinaryReader(bytes, memorySection.contentStart);
  const count = reader.u32();
  const memories: Array<MemoryShape | undefined> = [];
  for (let i = 0; i < count; i++) memories.push(readLimits(reader));
  return memories;
}

function importedMemories(bytes: Uint8Array, importSection: Section) {
  const reader = new BinaryReader(bytes, importSection.contentStart);
  const count = reader.u32();
  const memories: Array<{ module: string; name: string; shape: MemoryShape | undefined }> = [];
  for (let i = 0; i < count; i++) {
    const module = reader.name();
    const name = reader.name();
    const kind = reader.byte();
    switch (kind) {
      case 0x00: // function: type index
        reader.u32();
        break;
      case 0x01: // table: reftype + limits
        reader.byte();
        skipLimits(reader);
        break;
      case IMPORT_KIND_MEMORY:
        memories.push({ module, name, shape: readLimits(reader) });
        break;
      case 0x03: // global: valtype + mutability
        reader.byte();
        reader.byte();
        break;
      case 0x04: // tag: attribute + type index
        reader.byte();
        reader.u32();
        break;
      default:
        throw new RangeError(`unknown import kind ${kind}`);
    }
  }
  return memories;
}
