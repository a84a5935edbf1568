import { describe, expect, it } from "vitest";
import { MemoryPool } from "../../../../src/engine/memory/memory-pool.js";
import { WASM_PAGE } from "../../../../src/engine/wasm/wasm-page.js";

describe("MemoryPool", () => {
  it("hands back a released memory zeroed, never a new one", () => {
    const pool = new MemoryPool({ initial: 1 }, 4 * WASM_PAGE);
    const first = pool.acquire();
    new Uint8Array(first.buffer).fill(7);
    pool.release(first);
    const second = pool.acquire();
    expect(second).toBe(first);
    expect(new Uint8Array(second.buffer).every((b) => b === 0)).toBe(true);
  });

  it("drops a memory the guest grew, so every instance starts at its initial size", () => {
    const pool = new MemoryPool({ initial: 1 }, 4 * WASM_PAGE);
    const memory = pool.acquire();
    memory.grow(1);
    pool.release(memory);
    expect(pool.idleCount).toBe(0);
    expect(pool.acquire().buffer.byteLength).toBe(WASM_PAGE);
  });

  it("caps growth at the smaller of the module's maximum and the configured cap", () => {
    const pool = new MemoryPool({ initial: 1, maximum: 100 }, 2 * WASM_PAGE);
    const memory = pool.acquire();
    memory.grow(1);
    expect(() => memory.grow(1)).toThrow(RangeError);
    expect(new MemoryPool({ initial: 1, maximum: 2 }, 64 * WASM_PAGE).maximumPages).toBe(2);
  });

  it("refuses a module whose initial memory exceeds the cap", () => {
    expect(() => new MemoryPool({ initial: 10 }, 2 * WASM_PAGE)).toThrow(/more than its cap/);
  });
});
