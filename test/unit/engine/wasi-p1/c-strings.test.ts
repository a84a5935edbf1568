import { describe, expect, it } from "vitest";
import { CStrings } from "../../../../src/engine/wasi-p1/c-strings.js";
import { GuestMemory } from "../../../../src/engine/wasi-p1/guest-memory.js";

describe("CStrings", () => {
  it("writes NUL-terminated UTF-8 strings and a pointer to each, sized in bytes not characters", () => {
    const strings = new CStrings(["A=1", "GREETING=grüß", "", "X=日本"]);
    expect(strings.count).toBe(4);
    expect(strings.size).toBe(4 + 16 + 1 + 9);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const guest = new GuestMemory(memory);
    strings.put(guest, 16, 100);
    const bytes = new Uint8Array(memory.buffer);
    const pointers = [0, 1, 2, 3].map((i) => guest.getU32(16 + i * 4));
    expect(pointers).toEqual([100, 104, 120, 121]);
    const read = (at: number) => Buffer.from(bytes.subarray(at, bytes.indexOf(0, at))).toString("utf8");
    expect(pointers.map(read)).toEqual(["A=1", "GREETING=grüß", "", "X=日本"]);
    expect(bytes[130]).toBe(0);
  });

  it("fails with a RangeError (EFAULT for the guest) when the buffer runs past memory", () => {
    const guest = new GuestMemory(new WebAssembly.Memory({ initial: 1 }));
    expect(() => new CStrings(["HOME=/"]).put(guest, 0, 65_536 - 3)).toThrow(RangeError);
  });

  it("makes strings given as a function only when the guest first asks, and once", () => {
    let made = 0;
    const strings = new CStrings(() => (made++, ["A=1", "B=2"]));
    expect(made).toBe(0);
    expect(strings.count).toBe(2);
    expect(strings.size).toBe(8);
    strings.put(new GuestMemory(new WebAssembly.Memory({ initial: 1 })), 0, 64);
    expect(made).toBe(1);
  });
});
