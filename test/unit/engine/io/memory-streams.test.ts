import { describe, expect, it } from "vitest";
import { BufferInput, CollectingOutput } from "../../../../src/engine/io/memory-streams.js";
import { StreamClosed } from "../../../../src/engine/io/streams.js";

describe("BufferInput", () => {
  it("returns the bytes in chunks of at most max, then null for ever", () => {
    const input = new BufferInput(new TextEncoder().encode("hello"));
    expect(Buffer.from(input.read(2)!).toString()).toBe("he");
    expect(Buffer.from(input.read(10)!).toString()).toBe("llo");
    expect(input.read(10)).toBeNull();
    expect(input.readNow(10)).toBeNull();
  });

  it("reads chunks in order without joining them, skipping empty ones", () => {
    const first = new TextEncoder().encode("abc");
    const input = new BufferInput([first, new Uint8Array(0), new TextEncoder().encode("de")]);
    const read = input.read(10)!;
    // A view of the chunk itself: no copy was made.
    expect(read.buffer).toBe(first.buffer);
    expect(Buffer.from(read).toString()).toBe("abc");
    expect(Buffer.from(input.read(1)!).toString()).toBe("d");
    expect(Buffer.from(input.read(10)!).toString()).toBe("e");
    expect(input.read(10)).toBeNull();
    expect(new BufferInput([]).read(10)).toBeNull();
  });
});

describe("CollectingOutput", () => {
  it("keeps copies of what was written and refuses writes after close", () => {
    const output = new CollectingOutput();
    const chunk = new TextEncoder().encode("ab");
    output.write(chunk);
    chunk[0] = 0x7a; // the writer may reuse its buffer
    output.write(new TextEncoder().encode("c"));
    output.close();
    expect(output.text()).toBe("abc");
    expect(() => output.write(new Uint8Array(1))).toThrow(StreamClosed);
  });
});
