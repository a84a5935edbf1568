import { GuestMemory } from "../../../../../engine/wasi-p1/index.js";

/**
 * The canonical ABI of wit-bindgen 0.2, which Spin 1's SDKs built with, as the host sees a guest's
 * memory: strings and lists are (pointer, length) pairs, a list of `tuple<string, string>` has
 * 16-byte elements, and what the host hands the guest it allocates with the guest's
 * `canonical_abi_realloc(old, old-size, align, size)`. Every read is bounds-checked: a guest that
 * points outside its memory gets an error, never a read of another's.
 */
const DECODER = new TextDecoder("utf-8", { fatal: true });
const ENCODER = new TextEncoder();

export class Spin1Memory {
  /** The views over the memory, remade only when it grows (WASI preview1's own accessor). */
  private readonly guest: GuestMemory;

  constructor(
    memory: WebAssembly.Memory,
    private readonly realloc: (old: number, oldSize: number, align: number, size: number) => number,
  ) {
    this.guest = new GuestMemory(memory);
  }

  private view(): DataView {
    return this.guest.dataView();
  }

  private range(pointer: number, length: number): Uint8Array {
    const bytes = this.guest.u8();
    const start = pointer >>> 0;
    const end = start + (length >>> 0);
    if (end > bytes.length) throw new RangeError(`the guest pointed past its memory (${start}+${length >>> 0})`);
    return bytes.subarray(start, end);
  }

  u8(at: number): number {
    return this.view().getUint8(at);
  }
  u16(at: number): number {
    return this.view().getUint16(at, true);
  }
  u32(at: number): number {
    return this.view().getUint32(at, true);
  }
  i64(at: number): bigint {
    return this.view().getBigInt64(at, true);
  }
  f32(at: number): number {
    return this.view().getFloat32(at, true);
  }
  f64(at: number): number {
    return this.view().getFloat64(at, true);
  }
  setF32(at: number, value: number): void {
    this.view().setFloat32(at, value, true);
  }
  setF64(at: number, value: number): void {
    this.view().setFloat64(at, value, true);
  }
  setU8(at: number, value: number): void {
    this.view().setUint8(at, value);
  }
  setU16(at: number, value: number): void {
    this.view().setUint16(at, value, true);
  }
  setU32(at: number, value: number): void {
    this.view().setUint32(at, value, true);
  }
  setI64(at: number, value: bigint): void {
    this.view().setBigInt64(at, value, true);
  }

  /** A copy of the guest's bytes (its memory is reused once the call returns). */
  bytes(pointer: number, length: number): Uint8Array {
    return this.range(pointer, length).slice();
  }
  string(pointer: number, length: number): string {
    return DECODER.decode(this.range(pointer, length));
  }
  /** A `list<tuple<string, string>>` (headers, params). */
  pairs(pointer: number, count: number): Array<[string, string]> {
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < count; i++) {
      const at = pointer + i * 16;
      pairs.push([this.string(this.u32(at), this.u32(at + 4)), this.string(this.u32(at + 8), this.u32(at + 12))]);
    }
    return pairs;
  }
  /** A `list<string>`. */
  strings(pointer: number, count: number): string[] {
    const strings: string[] = [];
    for (let i = 0; i < count; i++) strings.push(this.string(this.u32(pointer + i * 8), this.u32(pointer + i * 8 + 4)));
    return strings;
  }

  /** Copies `bytes` into memory the guest allocates: their (pointer, length). */
  putBytes(bytes: Uint8Array, align = 1): [number, number] {
    const pointer = this.realloc(0, 0, align, bytes.length);
    this.range(pointer, bytes.length).set(bytes);
    return [pointer, bytes.length];
  }
  putString(text: string): [number, number] {
    return this.putBytes(ENCODER.encode(text));
  }
  /** A `list<tuple<string, string>>` in the guest's memory. */
  putPairs(pairs: ReadonlyArray<readonly [string, string]>): [number, number] {
    const pointer = this.realloc(0, 0, 4, pairs.length * 16);
    pairs.forEach(([name, value], i) => {
      const [namePointer, nameLength] = this.putString(name);
      const [valuePointer, valueLength] = this.putString(value);
      const at = pointer + i * 16;
      this.setU32(at, namePointer);
      this.setU32(at + 4, nameLength);
      this.setU32(at + 8, valuePointer);
      this.setU32(at + 12, valueLength);
    });
    return [pointer, pairs.length];
  }
  /** A `list<string>` in the guest's memory. */
  putStrings(strings: readonly string[]): [number, number] {
    const pointer = this.realloc(0, 0, 4, strings.length * 8);
    strings.forEach((text, i) => {
      const [at, length] = this.putString(text);
      this.setU32(pointer + i * 8, at);
      this.setU32(pointer + i * 8 + 4, length);
    });
    return [pointer, strings.length];
  }
}
