import type { GuestMemory } from "./guest-memory.js";

const ENCODER = new TextEncoder();

/** A value, or how to make it when it is first needed. */
export type Lazy<T> = T | (() => T);

/**
 * argv or environ as WASI hands them over: NUL-terminated UTF-8 strings, one after another, and
 * a pointer to each. Nothing is made or encoded until the guest asks (many never read their
 * environment), and then straight into the guest's memory: no buffer per string (a WAGI request
 * has ~25).
 */
export class CStrings {
  private made: readonly string[] | undefined;
  private lengths: number[] | undefined;
  private total = 0;

  /** `strings`, or how to make them: called once, when the guest first asks. */
  constructor(private readonly source: Lazy<readonly string[]>) {}

  private get strings(): readonly string[] {
    return (this.made ??= typeof this.source === "function" ? this.source() : this.source);
  }

  get count(): number {
    return this.strings.length;
  }

  /** Bytes of all the strings with their NULs. */
  get size(): number {
    this.measure();
    return this.total;
  }

  /** Writes the pointers at `pointersPtr` and the strings from `bufferPtr`. */
  put(memory: GuestMemory, pointersPtr: number, bufferPtr: number): void {
    const lengths = this.measure();
    const target = memory.slice(bufferPtr, this.total);
    let offset = 0;
    for (let i = 0; i < lengths.length; i++) {
      memory.setU32(pointersPtr + i * 4, bufferPtr + offset);
      ENCODER.encodeInto(this.strings[i]!, target.subarray(offset, offset + lengths[i]!));
      offset += lengths[i]!;
      target[offset++] = 0;
    }
  }

  private measure(): number[] {
    if (!this.lengths) {
      this.lengths = this.strings.map((s) => Buffer.byteLength(s, "utf8"));
      this.total = this.lengths.reduce((sum, n) => sum + n + 1, 0);
    }
    return this.lengths;
  }
}
