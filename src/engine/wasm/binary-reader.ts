import { open } from "node:fs/promises";

/**
 * The little of the WebAssembly binary format Wisp needs to read: the preamble, LEB128 numbers,
 * names and the section list. No validation beyond what it reads: compileWasm validates.
 */
export const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d] as const;
export const CORE_VERSION = 0x01;
export const COMPONENT_LAYER = 0x01;

export type BinaryKind = "module" | "component" | "unknown";

/** Core modules are `\0asm 01 00 00 00`; components `\0asm 0d 00 01 00` (version 13, layer 1). */
export function binaryKind(bytes: Uint8Array): BinaryKind {
  if (bytes.length < 8 || WASM_MAGIC.some((b, i) => bytes[i] !== b)) return "unknown";
  if (bytes[4] === CORE_VERSION && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0) return "module";
  if (bytes[6] === COMPONENT_LAYER && bytes[7] === 0) return "component";
  return "unknown";
}

/** The first 8 bytes of a file (fewer if it is shorter): what binaryKind reads, without reading the rest. */
export async function readHead(path: string): Promise<Uint8Array> {
  const file = await open(path, "r");
  try {
    const { buffer, bytesRead } = await file.read({ buffer: new Uint8Array(8), position: 0 });
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Section ids of the core module format. */
export const SECTION = {
  CUSTOM: 0,
  TYPE: 1,
  IMPORT: 2,
  FUNCTION: 3,
  TABLE: 4,
  MEMORY: 5,
  GLOBAL: 6,
  EXPORT: 7,
  START: 8,
  ELEMENT: 9,
  CODE: 10,
  DATA: 11,
  DATA_COUNT: 12,
  TAG: 13,
} as const;

/** Export (and import) kinds. */
export const EXTERNAL_KIND = { FUNCTION: 0x00, TABLE: 0x01, MEMORY: 0x02, GLOBAL: 0x03, TAG: 0x04 } as const;

export class BinaryReader {
  constructor(
    readonly bytes: Uint8Array,
    public offset = 0,
  ) {}

  get atEnd(): boolean {
    return this.offset >= this.bytes.length;
  }

  byte(): number {
    if (this.offset >= this.bytes.length) throw new RangeError("unexpected end of wasm binary");
    return this.bytes[this.offset++]!;
  }

  /** Unsigned LEB128 up to 32 bits (sizes, counts, indices, memory limits of 32-bit memories). */
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new RangeError("LEB128 number too long");
    }
  }

  name(): string {
    const length = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  }
}

export interface Section {
  id: number;
  /** Offset of the section id byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the section. */
  end: number;
}

/** The sections of a core module, in order. */
export function readSections(bytes: Uint8Array): Section[] {
  const reader = new BinaryReader(bytes, 8);
  const sections: Section[] = [];
  while (!reader.atEnd) {
    const start = reader.offset;
    const id = reader.byte();
    const size = reader.u32();
    const contentStart = reader.offset;
    const end = contentStart + size;
    if (end > bytes.length) throw new RangeError("wasm section runs past the end of the binary");
    sections.push({ id, start, contentStart, end });
    reader.offset = end;
  }
  return sections;
}

/** Unsigned LEB128 encoding. */
export function encodeU32(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) b |= 0x80;
    out.push(b);
  } while (value !== 0);
  return out;
}

export function encodeName(name: string): number[] {
  const utf8 = new TextEncoder().encode(name);
  return [...encodeU32(utf8.length), ...utf8];
}

/** The parts, one after another, in one new buffer. */
export function concatBytes(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Skips a table's or memory's limits (flags, minimum, maximum if flagged). */
export function skipLimits(reader: BinaryReader): void {
  const flags = reader.byte();
  reader.u32();
  if (flags & 0x01) reader.u32();
}

/** The number of entries of a vector section (0 when the module has no such section). */
export function countEntries(bytes: Uint8Array, section: Section | undefined): number {
  return section ? new BinaryReader(bytes, section.contentStart).u32() : 0;
}

/** A whole section: its id, its size, its content. */
export function withHeader(id: number, body: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.from([id, ...encodeU32(body.length)]), body]);
}
