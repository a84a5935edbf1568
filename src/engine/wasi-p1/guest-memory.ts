/**
 * Typed access to the guest's linear memory. The views are rebuilt when the memory has grown
 * (growth detaches the old ArrayBuffer), so every accessor sees the current buffer.
 */
export class GuestMemory {
  private buffer: ArrayBuffer | undefined;
  private view!: DataView;
  private bytes!: Uint8Array;

  constructor(private readonly memory: WebAssembly.Memory) {}

  private refresh(): void {
    const buffer = this.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.view = new DataView(buffer);
      this.bytes = new Uint8Array(buffer);
    }
  }

  dataView(): DataView {
    this.refresh();
    return this.view;
  }

  u8(): Uint8Array {
    this.refresh();
    return this.bytes;
  }

  getU32(ptr: number): number {
    return this.dataView().getUint32(ptr, true);
  }

  setU32(ptr: number, value: number): void {
    this.dataView().setUint32(ptr, value, true);
  }

  setU16(ptr: number, value: number): void {
    this.dataView().setUint16(ptr, value, true);
  }

  setU8(ptr: number, value: number): void {
    this.dataView().setUint8(ptr, value);
  }

  getU64(ptr: number): bigint {
    return this.dataView().getBigUint64(ptr, true);
  }

  setU64(ptr: number, value: bigint | number): void {
    this.dataView().setBigUint64(ptr, BigInt(value), true);
  }

  /** A live view of `len` bytes at `ptr` (throws RangeError when out of bounds). */
  slice(ptr: number, len: number): Uint8Array {
    const bytes = this.u8();
    if (ptr + len > bytes.length) throw new RangeError("out of bounds");
    return bytes.subarray(ptr, ptr + len);
  }

  string(ptr: number, len: number): string {
    return DECODER.decode(this.slice(ptr, len));
  }

  /**
   * The bytes of the `ciovec` array at `ptr`, copied out into one new array: what a write hands
   * over (see OutputStream). One allocation for the usual single buffer, no views in between: a
   * WAGI hello writes a few times per request, and what main allocates per request sets how often
   * its garbage collector pauses every request in flight. At most `max` bytes, the first ones.
   */
  gather(ptr: number, count: number, max = Infinity): Uint8Array {
    const view = this.dataView();
    const bytes = this.u8();
    let total = 0;
    let only = -1;
    for (let i = 0; i < count; i++) {
      const base = view.getUint32(ptr + i * 8, true);
      const len = view.getUint32(ptr + i * 8 + 4, true);
      if (base + len > bytes.length) throw new RangeError("out of bounds");
      if (len === 0) continue;
      only = total === 0 ? base : -1;
      total += len;
    }
    const wanted = Math.min(total, max);
    if (only >= 0) return copyOut(bytes, only, wanted);
    const gathered = wanted < UNZEROED_FROM ? new Uint8Array(wanted) : Buffer.allocUnsafeSlow(wanted);
    for (let i = 0, offset = 0; i < count && offset < wanted; i++) {
      const base = view.getUint32(ptr + i * 8, true);
      const len = Math.min(view.getUint32(ptr + i * 8 + 4, true), wanted - offset);
      gathered.set(bytes.subarray(base, base + len), offset);
      offset += len;
    }
    return gathered;
  }

  /** The total length of the `ciovec` array at `ptr` (bounds-checked). */
  iovecsLength(ptr: number, count: number): number {
    const view = this.dataView();
    const size = this.u8().length;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const base = view.getUint32(ptr + i * 8, true);
      const len = view.getUint32(ptr + i * 8 + 4, true);
      if (base + len > size) throw new RangeError("out of bounds");
      total += len;
    }
    return total;
  }

  /** The `iovec`/`ciovec` array at `ptr`: live views of each buffer. */
  iovecs(ptr: number, count: number): Uint8Array[] {
    const result: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const base = this.getU32(ptr + i * 8);
      const len = this.getU32(ptr + i * 8 + 4);
      result.push(this.slice(base, len));
    }
    return result;
  }
}

const DECODER = new TextDecoder("utf-8", { fatal: true });

/**
 * Copies from this size on go into memory that is not zeroed first: it is overwritten at once,
 * so zeroing it would only slow the copy. Smaller ones stay ordinary typed
 * arrays (V8 keeps those on its heap: cheaper to make), never Node's pooled buffers, whose shared
 * 8 KiB would travel whole in a worker's message.
 */
const UNZEROED_FROM = 4096;

function copyOut(bytes: Uint8Array, start: number, length: number): Uint8Array {
  if (length < UNZEROED_FROM) return bytes.slice(start, start + length);
  const copy = Buffer.allocUnsafeSlow(length);
  copy.set(bytes.subarray(start, start + length));
  return copy;
}
