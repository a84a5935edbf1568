import { describe, expect, it } from "vitest";
import { GuestMemory } from "../../../../src/engine/wasi-p1/guest-memory.js";

/** A one-page memory holding `chunks` at the given offsets, and a ciovec array at 1024 pointing at them in order. */
function withIovecs(chunks: Array<[offset: number, text: string]>, extra: Array<[base: number, len: number]> = []) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const bytes = new Uint8Array(memory.buffer);
  const view = new DataView(memory.buffer);
  const entries: Array<[number, number]> = [];
  for (const [offset, text] of chunks) {
    bytes.set(new TextEncoder().encode(text), offset);
    entries.push([offset, text.length]);
  }
  entries.push(...extra);
  entries.forEach(([base, len], i) => {
    view.setUint32(1024 + i * 8, base, true);
    view.setUint32(1024 + i * 8 + 4, len, true);
  });
  return { guest: new GuestMemory(memory), bytes, count: entries.length };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("GuestMemory.gather", () => {
  it("copies every buffer of a ciovec array, in order, skipping empty ones", () => {
    const { guest, count } = withIovecs([
      [10, "Content-Type: "],
      [200, ""],
      [300, "text/plain\n"],
    ]);
    expect(text(guest.gather(1024, count))).toBe("Content-Type: text/plain\n");
  });

  it("returns a copy that the guest's later writes do not change, for one buffer as for several", () => {
    for (const chunks of [
      [[10, "hello"]],
      [
        [10, "hel"],
        [40, "lo"],
      ],
    ] as Array<Array<[number, string]>>) {
      const { guest, bytes, count } = withIovecs(chunks);
      const gathered = guest.gather(1024, count);
      bytes.fill(0x2a, 0, 64);
      expect(text(gathered)).toBe("hello");
    }
  });

  it("copies large writes too, one buffer or several, into memory of their own", () => {
    const big = "x".repeat(5000) + "y".repeat(5000);
    for (const chunks of [
      [[2048, big]],
      [
        [2048, big.slice(0, 7000)],
        [20_000, big.slice(7000)],
      ],
    ] as Array<Array<[number, string]>>) {
      const { guest, bytes, count } = withIovecs(chunks);
      const gathered = guest.gather(1024, count);
      expect(gathered.buffer).not.toBe(bytes.buffer);
      bytes.fill(0x2a, 2048, 30_000);
      expect(text(gathered)).toBe(big);
    }
  });

  it("gives nothing for no buffers, and a RangeError for a buffer past the memory's end", () => {
    expect(withIovecs([]).guest.gather(1024, 0).length).toBe(0);
    const { guest, count } = withIovecs([[10, "ok"]], [[65_530, 10]]);
    expect(() => guest.gather(1024, count)).toThrow(RangeError);
  });
});
