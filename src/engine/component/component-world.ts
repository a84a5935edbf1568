import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BinaryReader, readSections } from "../wasm/binary-reader.js";

/** A component's own imports and exports, by name as it names them (`wasi:http/types@0.2.0`). */
export interface ComponentWorld {
  imports: string[];
  exports: string[];
}

/** Section ids of the component binary format (its outermost sections; nested components are skipped whole). */
const COMPONENT_SECTION = { IMPORT: 10, EXPORT: 11 } as const;

/**
 * Reads the names of a component's top-level imports and exports (the component model's binary
 * format, Binary.md): the interfaces and versions it needs and gives, which jco's glue names
 * without their versions. Sections are skipped by size, so a big component reads fast.
 */
export function readComponentWorld(bytes: Uint8Array): ComponentWorld {
  const world: ComponentWorld = { imports: [], exports: [] };
  for (const section of readSections(bytes)) {
    if (section.id !== COMPONENT_SECTION.IMPORT && section.id !== COMPONENT_SECTION.EXPORT) continue;
    const reader = new BinaryReader(bytes.subarray(0, section.end), section.contentStart);
    const count = reader.u32();
    for (let i = 0; i < count; i++) {
      if (section.id === COMPONENT_SECTION.IMPORT) {
        world.imports.push(externName(reader));
        skipExternDesc(reader);
      } else {
        world.exports.push(externName(reader));
        skipSortIndex(reader);
        if (reader.byte() === 0x01) skipExternDesc(reader); // an optional ascribed type
      }
    }
  }
  return world;
}

/** `importname'` / `exportname'`: 0x00 then the name, or 0x01 then the name and a version suffix (whose version the name already carries). */
function externName(reader: BinaryReader): string {
  const form = reader.byte();
  const name = reader.name();
  if (form === 0x01) reader.name();
  else if (form !== 0x00) throw new RangeError(`unknown import or export name form 0x${form.toString(16)}`);
  return name;
}

/** `externdesc`: what an import is (a core module, a function, a value, a type, a component, an instance) and its type. */
function skipExternDesc(reader: BinaryReader): void {
  const sort = reader.byte();
  switch (sort) {
    case 0x00: // core module: 0x11 and a core type index
      reader.byte();
      reader.u32();
      return;
    case 0x01: // func
    case 0x04: // component
    case 0x05: // instance
      reader.u32();
      return;
    case 0x02: // value: eq a value index, or a value type (an index or a primitive, one LEB either way)
    case 0x03: // type: eq a type index, or a resource (no index)
      if (reader.byte() === 0x00 || sort === 0x02) reader.u32();
      return;
    default:
      throw new RangeError(`unknown extern kind 0x${sort.toString(16)}`);
  }
}

/** `sortidx`: a sort (0x00 then a core sort, or one byte) and an index. */
function skipSortIndex(reader: BinaryReader): void {
  if (reader.byte() === 0x00) reader.byte();
  reader.u32();
}

/**
 * The world of the component with this content, from `cacheDir` when read before (a start need
 * not read a 13 MB component to learn what it exports), else read from its bytes and kept there.
 * Throws what readComponentWorld throws for bytes it cannot read.
 */
export async function cachedComponentWorld(
  content: { digest: string; read(): Promise<Uint8Array> },
  cacheDir: string,
): Promise<ComponentWorld> {
  const file = join(cacheDir, `${content.digest}.json`);
  const kept = await readFile(file, "utf8").catch(() => undefined);
  if (kept) return JSON.parse(kept) as ComponentWorld;
  const world = readComponentWorld(await content.read());
  await mkdir(cacheDir, { recursive: true });
  // Written whole under another name first: a reader never sees half of it.
  const staging = `${file}.${process.pid}`;
  await writeFile(staging, JSON.stringify(world));
  await rename(staging, file);
  return world;
}
