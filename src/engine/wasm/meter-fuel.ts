import { BinaryReader as OperatorReader, BinaryReaderState, OperatorCode, type IOperatorInformation } from "wasmparser";
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
import { FUEL_EXPORT } from "./fuel-export.js";
import { mayHaveSizedOps } from "./sized-ops.js";

/** Where each known section goes in a module (the binary format fixes their order; 13 is tags). */
const SECTION_RANK: Readonly<Record<number, number>> = Object.fromEntries(
  [
    SECTION.TYPE,
    SECTION.IMPORT,
    SECTION.FUNCTION,
    SECTION.TABLE,
    SECTION.MEMORY,
    SECTION.TAG,
    SECTION.GLOBAL,
    SECTION.EXPORT,
    SECTION.START,
    SECTION.ELEMENT,
    SECTION.DATA_COUNT,
    SECTION.CODE,
    SECTION.DATA,
  ].map((id, rank) => [id, rank + 1]),
);

/**
 * Instructions whose cost grows with an operand, not one unit: the bulk memory and table
 * operations (their count of bytes or elements is on top of the stack) and the grows (a delta).
 * Before each, a call to a charging function added to the module takes that operand, charges it
 * and hands it back: one `memory.fill` of 256 MiB is not one instruction's work.
 */
const SIZED: ReadonlyMap<number, "bytes" | "pages"> = new Map([
  [OperatorCode.memory_fill, "bytes"],
  [OperatorCode.memory_copy, "bytes"],
  [OperatorCode.memory_init, "bytes"],
  [OperatorCode.table_fill, "bytes"],
  [OperatorCode.table_copy, "bytes"],
  [OperatorCode.table_init, "bytes"],
  [OperatorCode.memory_grow, "pages"],
  [OperatorCode.table_grow, "pages"],
]);

/** Instructions that open a block closed by `end` (besides `loop`, which is metered). */
const BLOCKS: ReadonlySet<number> = new Set([
  OperatorCode.block,
  OperatorCode.if,
  OperatorCode.try,
  OperatorCode.try_table,
]);

/**
 * Rewrites a core module so that it stops itself once it has done about `fuel` instructions: a
 * mutable i32 global, exported as FUEL_EXPORT, is charged at every function entry and at the top
 * of every loop iteration with the number of instructions that can run before the next charge
 * (the function's or loop's own instructions, nested loops excluded: those charge for themselves).
 * When it drops below zero the guest executes `unreachable`, so a trap with a negative counter
 * means "out of fuel", never a fault of the guest's.
 *
 * Why: a guest run on the main thread (see engine/inline) cannot be stopped from outside the
 * way a worker is terminated, so it must stop itself. Every backward jump in wasm lands on a
 * `loop` and every recursion passes a function entry, so the work between two charges is
 * bounded by what was charged: the counter is an upper bound on instructions run (host calls
 * aside). The counter starts at 0, so the host must set it before each run: a metered instance
 * nobody gave fuel stops at once. Costs a few instructions per iteration.
 *
 * Sized instructions (SIZED) are charged by their operand: a byte costs 1/4 unit, a page of
 * growth 16384 (its 64 KiB), the rate at which bulk operations run about as fast as instructions.
 *
 * Returns undefined when wasmparser cannot decode the code (the module then is not metered).
 */
export function meterFuel(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> | undefined {
  return rewriteCode(bytes, "fuel");
}

/**
 * The module with a call to a function that does nothing before every sized instruction (see
 * SIZED), for runs on worker threads; undefined when it has none (or cannot be decoded).
 *
 * Why: V8 checks for a worker's termination at calls and at loop headers, but a loop whose body
 * is a bulk operation was never stopped (a loop of 16 MiB `memory.fill`s outlived
 * `worker.terminate()` for good on Node 20 and 24, holding its thread and the process, which could
 * not exit): a call into wasm is a point where it is checked.
 */
export function guardSizedOps(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> | undefined {
  if (!mayHaveSizedOps(bytes)) return undefined;
  return rewriteCode(bytes, "guard");
}

/** "fuel": meterFuel's rewrite; "guard": only the calls before sized instructions, to functions that charge nothing. */
function rewriteCode(bytes: Uint8Array<ArrayBuffer>, mode: "fuel" | "guard"): Uint8Array<ArrayBuffer> | undefined {
  const sections = readSections(bytes);
  const find = (id: number) => sections.find((s) => s.id === id);
  const imported = countImports(bytes, find(SECTION.IMPORT));
  const fuelGlobal = imported.globals + countEntries(bytes, find(SECTION.GLOBAL));
  const code = find(SECTION.CODE);
  const decoded = code ? chargesPerFunction(bytes) : [];
  if (!decoded) return undefined;
  const charges = mode === "fuel" ? decoded : decoded.map((fn) => fn.filter((charge) => charge.sized));

  const replaced = new Map<Section | "global" | "export", Uint8Array>();
  const sized = charges.some((fn) => fn.some((charge) => charge.sized));
  if (mode === "guard" && !sized) return undefined;
  // The charging functions go after every function there is: no index already used moves.
  const chargers =
    sized && code
      ? addChargers(
          bytes,
          find(SECTION.TYPE)!,
          find(SECTION.FUNCTION)!,
          imported.functions,
          mode === "fuel" ? fuelGlobal : undefined,
        )
      : undefined;
  if (chargers) {
    replaced.set(find(SECTION.TYPE)!, chargers.typeSection);
    replaced.set(find(SECTION.FUNCTION)!, chargers.functionSection);
  }
  if (mode === "fuel") {
    replaced.set(
      find(SECTION.GLOBAL) ?? "global",
      withHeader(
        SECTION.GLOBAL,
        appendEntry(
          bytes,
          find(SECTION.GLOBAL),
          // (global (mut i32) (i32.const 0))
          Uint8Array.from([0x7f, 0x01, 0x41, 0x00, 0x0b]),
        ),
      ),
    );
    replaced.set(
      find(SECTION.EXPORT) ?? "export",
      withHeader(
        SECTION.EXPORT,
        appendEntry(
          bytes,
          find(SECTION.EXPORT),
          Uint8Array.from([...encodeName(FUEL_EXPORT), EXTERNAL_KIND.GLOBAL, ...encodeU32(fuelGlobal)]),
        ),
      ),
    );
  }
  if (code) replaced.set(code, withHeader(SECTION.CODE, meteredCode(bytes, code, charges, fuelGlobal, chargers)));

  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  const pending: Array<"global" | "export"> = (["global", "export"] as const).filter((k) => replaced.has(k));
  const rankOf = { global: SECTION_RANK[SECTION.GLOBAL]!, export: SECTION_RANK[SECTION.EXPORT]! };
  for (const section of sections) {
    const rank = SECTION_RANK[section.id];
    // A section this rewrite adds goes before the first section that must follow it.
    while (rank !== undefined && pending.length > 0 && rankOf[pending[0]!] < rank)
      parts.push(replaced.get(pending.shift()!)!);
    parts.push(replaced.get(section) ?? bytes.subarray(section.start, section.end));
  }
  for (const key of pending) parts.push(replaced.get(key)!);
  return concatBytes(parts);
}

/** Where, in one function body, a charge goes and how much it is. */
interface Charge {
  /** Offset in the module where the charge's instructions are inserted. */
  at: number;
  amount: number;
  /** A sized instruction starts at `at`: a call to its charging function goes before it (amount 0). */
  sized?: "bytes" | "pages";
}

/** Per function, in code section order: a charge at its first instruction and after every `loop`. */
function chargesPerFunction(bytes: Uint8Array<ArrayBuffer>): Charge[][] | undefined {
  const reader = new OperatorReader();
  reader.setData(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const functions: Charge[][] = [];
  // The regions being counted: the function's own, then one per open loop; `null` for other blocks.
  let open: Array<Charge | null> = [];
  let charges: Charge[] = [];
  const region = (): Charge => {
    for (let i = open.length - 1; i >= 0; i--) if (open[i]) return open[i]!;
    throw new Error("unreachable: the function region is always open");
  };
  let operatorStart: number;
  while (((operatorStart = reader.position - bytes.byteOffset), reader.read())) {
    switch (reader.state) {
      case BinaryReaderState.BEGIN_SECTION:
        if ((reader.result as { id: number }).id !== SECTION.CODE) reader.skipSection();
        break;
      case BinaryReaderState.BEGIN_FUNCTION_BODY: {
        // Positioned after the locals: where the function's first instruction starts.
        const entry = { at: reader.position - bytes.byteOffset, amount: 0 };
        charges = [entry];
        open = [entry];
        break;
      }
      case BinaryReaderState.CODE_OPERATOR: {
        const { code } = reader.result as IOperatorInformation;
        region().amount++;
        const sized = SIZED.get(code);
        if (sized) charges.push({ at: operatorStart, amount: 0, sized });
        if (code === OperatorCode.loop) {
          const loop = { at: reader.position - bytes.byteOffset, amount: 0 };
          charges.push(loop);
          open.push(loop);
        } else if (BLOCKS.has(code)) open.push(null);
        else if ((code === OperatorCode.end || code === OperatorCode.delegate) && open.length > 1) open.pop();
        break;
      }
      case BinaryReaderState.END_FUNCTION_BODY:
        functions.push(charges);
        break;
      case BinaryReaderState.END_WASM:
        return functions;
      case BinaryReaderState.ERROR:
        return undefined;
    }
  }
  return undefined;
}

/** The code section's bodies with each charge inserted and each body's size re-encoded. */
function meteredCode(
  bytes: Uint8Array,
  section: Section,
  charges: Charge[][],
  fuelGlobal: number,
  chargers: Chargers | undefined,
): Uint8Array {
  const reader = new BinaryReader(bytes, section.contentStart);
  const count = reader.u32();
  if (count !== charges.length)
    throw new RangeError("the code section and its decoding disagree on the number of functions");
  const parts: Uint8Array[] = [Uint8Array.from(encodeU32(count + (chargers ? 2 : 0)))];
  for (let f = 0; f < count; f++) {
    const size = reader.u32();
    const start = reader.offset;
    const end = start + size;
    const body: Uint8Array[] = [];
    let from = start;
    for (const { at, amount, sized } of charges[f]!) {
      const charge = sized
        ? Uint8Array.from([0x10, ...encodeU32(chargers!.index[sized])])
        : chargeInstructions(fuelGlobal, amount);
      body.push(bytes.subarray(from, at), charge);
      from = at;
    }
    body.push(bytes.subarray(from, end));
    const joined = concatBytes(body);
    parts.push(Uint8Array.from(encodeU32(joined.length)), joined);
    reader.offset = end;
  }
  if (chargers) parts.push(...chargers.bodies);
  return concatBytes(parts);
}

/** The two charging functions of a module with sized instructions: where they are, and the sections that declare them. */
interface Chargers {
  index: Record<"bytes" | "pages", number>;
  typeSection: Uint8Array;
  functionSection: Uint8Array;
  /** Their code entries (size, body), to append to the code section. */
  bodies: Uint8Array[];
}

/** With no fuel global, the functions only hand their operand back (see guardSizedOps). */
function addChargers(
  bytes: Uint8Array,
  types: Section,
  functions: Section,
  importedFunctions: number,
  fuelGlobal: number | undefined,
): Chargers {
  const typeIndex = countEntries(bytes, types);
  const defined = countEntries(bytes, functions);
  const typeIndexBytes = encodeU32(typeIndex);
  const sections = {
    typeSection: withHeader(SECTION.TYPE, appendEntry(bytes, types, Uint8Array.from([0x60, 0x01, 0x7f, 0x01, 0x7f]))),
    functionSection: withHeader(
      SECTION.FUNCTION,
      appendEntry(bytes, functions, Uint8Array.from(typeIndexBytes), Uint8Array.from(typeIndexBytes)),
    ),
  };
  const index = { bytes: importedFunctions + defined, pages: importedFunctions + defined + 1 };
  const entry = (body: number[]) => Uint8Array.from([...encodeU32(body.length), ...body]);
  if (fuelGlobal === undefined) {
    const identity = entry([0x00, 0x20, 0x00, 0x0b]);
    return { index, ...sections, bodies: [identity, identity] };
  }
  const g = encodeU32(fuelGlobal);
  // fuel -= charge; if (fuel < 0) unreachable; return the operand, untouched
  const check = [0x24, ...g, 0x23, ...g, 0x41, 0x00, 0x48, 0x04, 0x40, 0x00, 0x0b, 0x20, 0x00, 0x0b];
  // (param i32) (result i32): fuel - (n >>> 2)
  const bytesBody = [0x00, 0x23, ...g, 0x20, 0x00, 0x41, 0x02, 0x76, 0x6b, ...check];
  // fuel - (min(delta, 65536) << 14): a larger delta fails to grow without cost, and must not wrap
  const cap = encodeI32(65536);
  const pagesBody = [
    0x00,
    0x23,
    ...g,
    0x20,
    0x00,
    0x41,
    ...cap,
    0x20,
    0x00,
    0x41,
    ...cap,
    0x49,
    0x1b,
    0x41,
    14,
    0x74,
    0x6b,
    ...check,
  ];
  return { index, ...sections, bodies: [entry(bytesBody), entry(pagesBody)] };
}

/** `fuel -= amount; if (fuel < 0) unreachable` */
function chargeInstructions(global: number, amount: number): Uint8Array {
  const g = encodeU32(global);
  return Uint8Array.from([
    0x23,
    ...g,
    0x41,
    ...encodeI32(amount),
    0x6b,
    0x24,
    ...g, // global.get, i32.const, i32.sub, global.set
    0x23,
    ...g,
    0x41,
    0x00,
    0x48, // global.get, i32.const 0, i32.lt_s
    0x04,
    0x40,
    0x00,
    0x0b, // if (empty) unreachable end
  ]);
}

/** Signed LEB128 of a non-negative i32. */
function encodeI32(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = value & 0x7f;
    value >>= 7;
    if (value === 0 && (b & 0x40) === 0) return [...out, b];
    out.push(b | 0x80);
  }
}

/** A vector section's content with more entries at its end (a new vector if there is no section). */
function appendEntry(bytes: Uint8Array, section: Section | undefined, ...entries: Uint8Array[]): Uint8Array {
  if (!section) return concatBytes([Uint8Array.from(encodeU32(entries.length)), ...entries]);
  const reader = new BinaryReader(bytes, section.contentStart);
  const count = reader.u32();
  return concatBytes([
    Uint8Array.from(encodeU32(count + entries.length)),
    bytes.subarray(reader.offset, section.end),
    ...entries,
  ]);
}

/** How many functions and globals a module imports: defined ones are numbered after them. */
function countImports(bytes: Uint8Array, section: Section | undefined): { functions: number; globals: number } {
  const counts = { functions: 0, globals: 0 };
  if (!section) return counts;
  const reader = new BinaryReader(bytes, section.contentStart);
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    reader.name();
    reader.name();
    const kind = reader.byte();
    if (kind === EXTERNAL_KIND.FUNCTION) {
      counts.functions++;
      reader.u32(); // type index
    } else if (kind === EXTERNAL_KIND.TABLE) {
      // reference type, limits
      reader.byte();
      skipLimits(reader);
    } else if (kind === EXTERNAL_KIND.MEMORY) skipLimits(reader);
    else if (kind === EXTERNAL_KIND.GLOBAL) {
      counts.globals++;
      reader.byte();
      reader.byte();
    } else {
      reader.byte(); // tag: attribute, type index
      reader.u32();
    }
  }
  return counts;
}
