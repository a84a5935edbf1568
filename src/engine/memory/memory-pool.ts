import type { MemoryShape } from "../wasm/import-memory.js";
import { WASM_PAGE } from "../wasm/wasm-page.js";

/**
 * Linear memories for one module, reused across instances: a request takes a zeroed memory of the
 * module's initial size and gives it back when done. Allocating a `WebAssembly.Memory` per request
 * costs ~5x the rest of a small request (DESIGN.md); zeroing a slot is a memset.
 *
 * Contract: one pool per (module, thread). `release` zeroes the memory before it can be handed out
 * again, so nothing one instance wrote is ever visible to the next. A memory the guest grew is
 * dropped rather than reused, so every instance starts with exactly the size a fresh one would.
 * Growth beyond `maximumPages` fails inside the guest (memory.grow returns -1), which is how the
 * per-component memory cap is enforced.
 */
export class MemoryPool {
  private readonly idle: WebAssembly.Memory[] = [];
  readonly maximumPages: number;
  private readonly initialBytes: number;

  constructor(
    readonly shape: MemoryShape,
    capBytes: number,
    private readonly maxIdle = 8,
  ) {
    const capPages = Math.floor(capBytes / WASM_PAGE);
    this.maximumPages = Math.min(shape.maximum ?? capPages, capPages);
    if (shape.initial > this.maximumPages) {
      throw new RangeError(
        `the module needs ${shape.initial * 64} KiB of memory at start, more than its cap of ${this.maximumPages * 64} KiB`,
      );
    }
    this.initialBytes = shape.initial * WASM_PAGE;
  }

  acquire(): WebAssembly.Memory {
    return this.idle.pop() ?? new WebAssembly.Memory({ initial: this.shape.initial, maximum: this.maximumPages });
  }

  release(memory: WebAssembly.Memory): void {
    if (memory.buffer.byteLength !== this.initialBytes || this.idle.length >= this.maxIdle) return;
    new Uint8Array(memory.buffer).fill(0);
    this.idle.push(memory);
  }

  get idleCount(): number {
    return this.idle.length;
  }
}
