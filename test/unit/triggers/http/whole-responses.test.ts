import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { byteLength } from "../../../../src/engine/io/byte-length.js";
import { WholeResponses } from "../../../../src/triggers/http/whole-responses.js";

/** Records what `end` was given, as the bytes it would send. */
function fakeResponse(name: string, ended: string[], destroyed = false) {
  const response = {
    destroyed,
    fails: false,
    sent: undefined as Buffer | undefined,
    written: [] as Buffer[],
    destroy() {
      response.destroyed = true;
    },
    write(chunk: Uint8Array) {
      response.written.push(Buffer.from(chunk));
      return true;
    },
    end(chunk?: string | Uint8Array, encoding?: BufferEncoding) {
      if (response.fails) throw new Error("write after the socket broke");
      ended.push(name);
      const last =
        chunk === undefined
          ? Buffer.alloc(0)
          : typeof chunk === "string"
            ? Buffer.from(chunk, encoding)
            : Buffer.from(chunk);
      response.sent = Buffer.concat([...response.written, last]);
    },
  };
  return response;
}

/** Ends `res` as the server does, with the body's length counted. */
function endIn(whole: WholeResponses, res: object, body?: Uint8Array[]): void {
  whole.end(res as ServerResponse, body, byteLength(body));
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("WholeResponses", () => {
  it("ends the responses of one turn together, after it, in the order they came", async () => {
    const ended: string[] = [];
    const whole = new WholeResponses();
    const a = fakeResponse("a", ended);
    const b = fakeResponse("b", ended);
    const c = fakeResponse("c", ended);
    endIn(whole, a, [Buffer.from("first")]);
    endIn(whole, b);
    endIn(whole, c, [new Uint8Array(0)]);
    expect(ended).toEqual([]);
    await turn();
    expect(ended).toEqual(["a", "b", "c"]);
    expect(a.sent?.toString()).toBe("first");
    expect(b.sent?.length).toBe(0);
    const d = fakeResponse("d", ended);
    endIn(whole, d, [Buffer.from("next turn")]);
    await turn();
    expect(ended).toEqual(["a", "b", "c", "d"]);
  });

  it("sends every byte value unchanged, small bodies batched and large ones at once", async () => {
    const ended: string[] = [];
    const whole = new WholeResponses();
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const large = Buffer.alloc(64 << 10, everyByte);
    const small = fakeResponse("small", ended);
    const big = fakeResponse("big", ended);
    // A view into a larger buffer: only its own bytes are sent.
    const backing = new Uint8Array(258);
    backing.set(everyByte, 2);
    endIn(whole, small, [backing.subarray(2)]);
    endIn(whole, big, [large]);
    // A large body goes out at once: worth a wake-up of its own.
    expect(ended).toEqual(["big"]);
    await turn();
    expect(small.sent?.equals(everyByte)).toBe(true);
    expect(big.sent?.equals(large)).toBe(true);
  });

  it("sends a body given in chunks whole and in order, small or large", async () => {
    const ended: string[] = [];
    const whole = new WholeResponses();
    const small = fakeResponse("small", ended);
    const big = fakeResponse("big", ended);
    const parts = [randomBytes(40 << 10), randomBytes(1), randomBytes(64 << 10)];
    endIn(whole, small, [Buffer.from("he"), Buffer.from("llo")]);
    endIn(whole, big, parts);
    expect(big.sent?.equals(Buffer.concat(parts))).toBe(true);
    await turn();
    expect(small.sent?.toString()).toBe("hello");
    expect(ended).toEqual(["big", "small"]);
  });

  it("skips a response whose connection was destroyed meanwhile", async () => {
    const ended: string[] = [];
    const whole = new WholeResponses();
    const gone = fakeResponse("gone", ended);
    const kept = fakeResponse("kept", ended);
    endIn(whole, gone, [Buffer.from("late")]);
    endIn(whole, kept, [Buffer.from("ok")]);
    gone.destroyed = true;
    await turn();
    expect(ended).toEqual(["kept"]);
  });

  it("destroys a response that throws as it ends, and still ends the others of its turn", async () => {
    const ended: string[] = [];
    const whole = new WholeResponses();
    const broken = fakeResponse("broken", ended);
    broken.fails = true;
    const after = fakeResponse("after", ended);
    endIn(whole, broken, [Buffer.from("x")]);
    endIn(whole, after, [Buffer.from("y")]);
    await turn();
    expect(broken.destroyed).toBe(true);
    expect(ended).toEqual(["after"]);
  });
});
