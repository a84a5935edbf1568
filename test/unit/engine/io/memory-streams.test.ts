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
