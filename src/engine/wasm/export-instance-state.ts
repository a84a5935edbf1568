import {
  BinaryReader,
  EXTERNAL_KIND,
  SECTION,
  concatBytes,
  countEntries,
  encodeName,
  encodeU32,
  readSections,
  skipLimits,
  withHeader,
  type Section,
} from "./binary-reader.js";

const V128 = 0x7b;
/** Value types JavaScript can read and write through a WebAssembly.Global. */
const JS_VALUE_TYPES: ReadonlySet<number> = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x70, 0x6f]);

/** The names under which a rewritten module exports the state a fresh instance starts from. */
export interface InstanceStateExports {
  /** Its mutable globals (immutable ones cannot change). */
  globals: string[];
  /** The tables it defines, when it may change them (see table-writes); else none. */
  tables: string[];
}

export interface InstanceStatePlan extends InstanceStateExports {
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * Rewrites a core module to also export its mutable globals and its tables, so that an instance
 * can be put back into the state a fresh one starts in: its memory (which Wisp supplies, see
 * import-memory), its globals and its tables are then everything the instance holds.
 *
 * Returns `undefined` when that would not be exact: a start function (it ran once, at the first
 * instantiation), imported tables or globals (their state lives outside the instance), passive
 * data or element segments (`data.drop`/`elem.drop` change what a later `memory.init` sees), or a
 * mutable global JavaScript cannot read (v128).
 */
export function exportInstanceState(
  bytes: Uint8Array<ArrayBuffer>,
  { tablesChange }: { tablesChange: boolean },
): InstanceStatePlan | undefined {
  const sections = readSections(bytes);
  const find = (id: number) => sections.find((s) => s.id === id);
  if (find(SECTION.START)) return undefined;
  if (importsStateOrTags(bytes, find(SECTION.IMPORT))) return undefined;
  if (hasPassiveData(bytes, find(SECTION.DATA)) || hasPassiveElements(bytes, find(SECTION.ELEMENT))) return undefined;
  const mutableGlobals = readMutableGlobals(bytes, find(SECTION.GLOBAL));
  if (!mutableGlobals) return undefined;
  const tableCount = tablesChange ? countEntries(bytes, find(SECTION.TABLE)) : 0;

  const exports: number[] = [];
  const state: InstanceStateExports = { globals: [], tables: [] };
  for (const index of mutableGlobals) {
    const name = `wisp:state/global-${index}`;
    state.globals.push(name);
    exports.push(...encodeName(name), EXTERNAL_KIND.GLOBAL, ...encodeU32(index));
  }
  for (let index = 0; index < tableCount; index++) {
    const name = `wisp:state/table-${index}`;
    state.tables.push(name);
    exports.push(...encodeName(name), EXTERNAL_KIND.TABLE, ...encodeU32(index));
  }
  const added = state.globals.length + state.tables.length;
  if (added === 0) return { bytes, ...state };

  const exportSection = find(SECTION.EXPORT);
  if (exportSection) {
    const reader = new BinaryReader(bytes, exportSection.contentStart);
    const count = reader.u32();
    const body = concatBytes([
      Uint8Array.from([...encodeU32(count + added)]),
      bytes.subarray(reader.offset, exportSection.end),
      Uint8Array.from(exports),
    ]);
    return {
      bytes: replace(bytes, exportSection.start, exportSection.end, withHeader(SECTION.EXPORT, body)),
      ...state,
    };
  }
  // No export section: one goes right after the global section, or the last section before it.
  const before = sections.filter((s) => s.id !== 0 && s.id < SECTION.EXPORT).at(-1);
  const at = before ? before.end : 8;
  const body = concatBytes([Uint8Array.from(encodeU32(added)), Uint8Array.from(exports)]);
  return { bytes: replace(bytes, at, at, withHeader(SECTION.EXPORT, body)), ...state };
}

function importsStateOrTags(bytes: Uint8Array, section: Section | undefined): boolean {
  if (!section) return false;
  const reader = new BinaryReader(bytes, section.contentStart);
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    reader.name();
    reader.name();
    const kind = reader.byte();
    if (kind === 0x00) reader.u32();
    else if (kind === 0x02) skipLimits(reader);
    else return true; // a table, a global or a tag
  }
  return false;
}

/** Indices of the mutable globals (counting imported ones first, of which there are none here); undefined if one is not readable from JS. */
function readMutableGlobals(bytes: Uint8Array, section: Section | undefined): number[] | undefined {
  if (!section) return [];
  const reader = new BinaryReader(bytes, section.contentStart);
  const count = reader.u32();
  const mutable: number[] = [];
  for (let i = 0; i < count; i++) {
    const type = reader.byte();
    const isMutable = reader.byte() === 0x01;
    if (!JS_VALUE_TYPES.has(type)) {
      if (isMutable || type !== V128) return undefined;
    }
    if (isMutable) mutable.push(i);
    skipConstExpr(reader);
  }
  return mutable;
}

function hasPassiveData(bytes: Uint8Array, section: Section | undefined): boolean {
  if (!section) return false;
  const reader = new BinaryReader(bytes, section.contentStart);
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    const flags = reader.u32();
    if (flags === 1) return true;
    if (flags === 2) reader.u32();
    skipConstExpr(reader);
    const length = reader.u32(); // read before `offset +=` reads the offset
    reader.offset += length;
  }
  return false;
}

/** Element segment flags 1 and 5 are passive (3 and 7 are declarative: dropped at instantiation). */
function hasPassiveElements(bytes: Uint8Array, section: Section | undefined): boolean {
  if (!section) return false;
  const reader = new BinaryReader(bytes, section.contentStart);
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    const flags = reader.u32();
    if (flags === 1 || flags === 5) return true;
    if (flags === 2 || flags === 6) reader.u32(); // table index
    if ((flags & 0x01) === 0) skipConstExpr(reader); // active: offset
    if (flags & 0x03) reader.byte(); // element kind or reference type
    const items = reader.u32();
    for (let j = 0; j < items; j++) {
      if (flags & 0x04) skipConstExpr(reader);
      else reader.u32();
    }
  }
  return false;
}

/** Skips a constant expression up to its `end` (0x0b). */
function skipConstExpr(reader: BinaryReader): void {
  for (;;) {
    const op = reader.byte();
    switch (op) {
      case 0x0b:
        return;
      case 0x41: // i32.const
      case 0x42: // i64.const
        skipLeb(reader);
        break;
      case 0x43:
        reader.offset += 4;
        break;
      case 0x44:
        reader.offset += 8;
        break;
      case 0x23: // global.get
      case 0xd2: // ref.func
        reader.u32();
        break;
      case 0xd0: // ref.null heaptype
        skipLeb(reader);
        break;
      case 0x6a:
      case 0x6b:
      case 0x6c:
      case 0x7c:
      case 0x7d:
      case 0x7e: // extended-const arithmetic
        break;
      case 0xfd: // v128.const
        reader.u32();
        reader.offset += 16;
        break;
      default:
        throw new RangeError(`unsupported opcode 0x${op.toString(16)} in a constant expression`);
    }
  }
}

function skipLeb(reader: BinaryReader): void {
  while (reader.byte() & 0x80);
}

function replace(bytes: Uint8Array, start: number, end: number, insert: Uint8Array): Uint8Array<ArrayBuffer> {
  return concatBytes([bytes.subarray(0, start), insert, bytes.subarray(end)]);
}
