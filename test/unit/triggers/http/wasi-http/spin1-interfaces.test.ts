import { describe, expect, it } from "vitest";
import {
  FutureIncomingResponse,
  IncomingResponse,
  type OutgoingRequest,
} from "../../../../../src/engine/wasi-p2/http-types.js";
import {
  Spin1RequestState,
  spin1Interfaces,
} from "../../../../../src/triggers/http/executors/wasi-http/spin1/spin1-interfaces.js";
import { Spin1Memory } from "../../../../../src/triggers/http/executors/wasi-http/spin1/spin1-memory.js";

/** A guest's memory with a bump allocator from 4096, and Spin 1's interfaces over `capabilities`. */
function guest(capabilities: Record<string, Record<string, unknown>>) {
  const wasm = new WebAssembly.Memory({ initial: 1 });
  let heap = 4096;
  const memory = new Spin1Memory(wasm, (_old, _size, align, size) => {
    heap = Math.ceil(heap / align) * align;
    const at = heap;
    heap += size;
    return at;
  });
  const request = new Spin1RequestState();
  const imports = spin1Interfaces(capabilities, () => ({ memory, request })) as Record<
    string,
    Record<string, (...args: number[]) => void>
  >;
  const put = (text: string) => memory.putString(text);
  return { memory, imports, put, request };
}

const RET = 1024;

describe("Spin 1's interfaces over the capabilities, in wit-bindgen 0.2's layout", () => {
  it("wasi-outbound-http sends through the granted outgoing handler and writes the response record", () => {
    let sent: OutgoingRequest | undefined;
    const { memory, imports, put } = guest({
      "wasi:http/outgoing-handler": {
        handle: (request: OutgoingRequest) => {
          sent = request;
          return new FutureIncomingResponse(() => ({
            tag: "ok",
            val: new IncomingResponse(201, [["x-up", "1"]], new TextEncoder().encode("upstream body")),
          }));
        },
      },
    });
    const [uri, uriLength] = put("https://upstream.test/path?q=2");
    const [headers, headerCount] = memory.putPairs([["x-a", "b"]]);
    const [body, bodyLength] = memory.putBytes(new TextEncoder().encode("sent body"));
    imports["wasi-outbound-http"]!.request!(1, uri, uriLength, headers, headerCount, 0, 0, 1, body, bodyLength, RET);
    expect(sent!.methodName()).toBe("POST");
    expect(sent!.scheme()).toEqual({ tag: "HTTPS" });
    expect(sent!.authority()).toBe("upstream.test");
    expect(sent!.pathWithQuery()).toBe("/path?q=2");
    expect(new TextDecoder().decode(sent!.bodyBytes())).toBe("sent body");
    expect(memory.u8(RET)).toBe(0);
    expect(memory.u16(RET + 4)).toBe(201);
    expect(memory.u8(RET + 8)).toBe(1);
    expect(memory.pairs(memory.u32(RET + 12), memory.u32(RET + 16))).toEqual([["x-up", "1"]]);
    expect(memory.u8(RET + 20)).toBe(1);
    expect(memory.string(memory.u32(RET + 24), memory.u32(RET + 28))).toBe("upstream body");
  });

  it("wasi-outbound-http: a host the manifest does not allow is destination-not-allowed, a bad URL invalid-url", () => {
    const { memory, imports, put } = guest({
      "wasi:http/outgoing-handler": {
        handle: () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- as the outbound capability denies: the WIT variant itself
          throw { tag: "HTTP-request-denied" };
        },
      },
    });
    const [uri, uriLength] = put("https://denied.test/");
    imports["wasi-outbound-http"]!.request!(0, uri, uriLength, 0, 0, 0, 0, 0, 0, 0, RET);
    expect([memory.u8(RET), memory.u8(RET + 4)]).toEqual([1, 1]);
    const [bad, badLength] = put("not a url");
    imports["wasi-outbound-http"]!.request!(0, bad, badLength, 0, 0, 0, 0, 0, 0, 0, RET);
    expect([memory.u8(RET), memory.u8(RET + 4)]).toEqual([1, 2]);
  });

  it("outbound-redis: results and its one error case where each function's layout puts them", () => {
    const calls: string[] = [];
    const connection = {
      publish: (channel: string) => calls.push(`publish ${channel}`),
      get: () => new TextEncoder().encode("value"),
      set: () => undefined,
      incr: () => 42n,
      del: (keys: string[]) => keys.length,
      sadd: () => 1,
      smembers: () => ["a", "b"],
      srem: () => 1,
      execute: () => [{ tag: "nil" }, { tag: "status", val: "OK" }, { tag: "int64", val: -3n }],
    };
    const { memory, imports, put } = guest({
      "fermyon:spin/redis": {
        Connection: {
          open: (address: string) => {
            // eslint-disable-next-line @typescript-eslint/only-throw-error -- as the redis capability refuses an address: the WIT variant
            if (address !== "redis://allowed") throw { tag: "other", val: "not allowed" };
            return connection;
          },
        },
      },
    });
    const [address, addressLength] = put("redis://allowed");
    const [key, keyLength] = put("k");
    imports["outbound-redis"]!.incr!(address, addressLength, key, keyLength, RET);
    expect([memory.u8(RET), memory.i64(RET + 8)]).toEqual([0, 42n]);
    imports["outbound-redis"]!.get!(address, addressLength, key, keyLength, RET);
    expect(memory.string(memory.u32(RET + 4), memory.u32(RET + 8))).toBe("value");
    imports["outbound-redis"]!.smembers!(address, addressLength, key, keyLength, RET);
    expect(memory.strings(memory.u32(RET + 4), memory.u32(RET + 8))).toEqual(["a", "b"]);
    const [keys, keyCount] = memory.putStrings(["x", "y", "z"]);
    imports["outbound-redis"]!.del!(address, addressLength, keys, keyCount, RET);
    expect(memory.i64(RET + 8)).toBe(3n);
    const [command, commandLength] = put("PING");
    imports["outbound-redis"]!.execute!(address, addressLength, command, commandLength, 0, 0, RET);
    const results = memory.u32(RET + 4);
    expect(memory.u32(RET + 8)).toBe(3);
    expect(memory.u8(results)).toBe(0);
    expect([memory.u8(results + 16), memory.string(memory.u32(results + 24), memory.u32(results + 28))]).toEqual([
      1,
      "OK",
    ]);
    expect([memory.u8(results + 32), memory.i64(results + 40)]).toEqual([2, -3n]);
    // Refused: the `error` case, after unit (publish) at 1, after an s64 (incr) at 8.
    const [denied, deniedLength] = put("redis://elsewhere");
    memory.setU8(RET + 1, 0);
    imports["outbound-redis"]!.publish!(denied, deniedLength, key, keyLength, 0, 0, RET);
    expect([memory.u8(RET), memory.u8(RET + 1)]).toEqual([1, 1]);
    imports["outbound-redis"]!.incr!(denied, deniedLength, key, keyLength, RET);
    expect([memory.u8(RET), memory.u8(RET + 8)]).toEqual([1, 1]);
    expect(calls).toEqual([]);
  });

  it("key-value: a missing key is no-such-key, a closed or unknown store invalid-store, a backend failure io", () => {
    const stored = new Map<string, Uint8Array>();
    const { memory, imports, put } = guest({
      "fermyon:spin/key-value": {
        Store: {
          open: () => ({
            get: (key: string) => stored.get(key),
            set: (key: string, value: Uint8Array) => {
              // eslint-disable-next-line @typescript-eslint/only-throw-error -- as a store's backend failure reaches the guest: the WIT variant
              if (key === "broken") throw { tag: "other", val: "disk on fire" };
              stored.set(key, value);
            },
            delete: () => undefined,
            exists: (key: string) => stored.has(key),
            getKeys: () => [...stored.keys()],
          }),
        },
      },
    });
    const [name, nameLength] = put("default");
    imports["key-value"]!.open!(name, nameLength, RET);
    const store = memory.u32(RET + 4);
    const [key, keyLength] = put("missing");
    imports["key-value"]!.get!(store, key, keyLength, RET);
    expect([memory.u8(RET), memory.u8(RET + 4)]).toEqual([1, 4]);
    const [broken, brokenLength] = put("broken");
    imports["key-value"]!.set!(store, broken, brokenLength, 0, 0, RET);
    expect([memory.u8(RET), memory.u8(RET + 4)]).toEqual([1, 5]);
    expect(memory.string(memory.u32(RET + 8), memory.u32(RET + 12))).toBe("other: disk on fire");
    imports["key-value"]!.close!(store);
    imports["key-value"]!.exists!(store, key, keyLength, RET);
    expect([memory.u8(RET), memory.u8(RET + 4)]).toEqual([1, 3]);
  });

  it("outbound-pg: parameters read from the guest's variants, the row set written in its layout, counts at 8", () => {
    let sent: { address: string; statement: string; params: unknown[] } | undefined;
    const { memory, imports, put } = guest({
      "fermyon:spin/postgres": {
        Connection: {
          open: (address: string) => ({
            query: (statement: string, params: unknown[]) => {
              sent = { address, statement, params };
              return {
                columns: [
                  { name: "n", dataType: "int64" },
                  { name: "s", dataType: "str" },
                ],
                rows: [
                  [
                    { tag: "int64", val: -7n },
                    { tag: "str", val: "seven" },
                  ],
                  [{ tag: "db-null" }, { tag: "unsupported" }],
                ],
              };
            },
            execute: () => 3n,
          }),
        },
      },
    });
    const [address, addressLength] = put("postgres://db/test");
    const [statement, statementLength] = put("select $1, $2, $3");
    // Three parameter-values, 16 bytes each: int32 -5 (case 3), str "x" (11), boolean true (0).
    const [params] = memory.putBytes(new Uint8Array(48), 8);
    memory.setU8(params, 3);
    memory.setU32(params + 8, -5 >>> 0);
    const [x, xLength] = put("x");
    memory.setU8(params + 16, 11);
    memory.setU32(params + 24, x);
    memory.setU32(params + 28, xLength);
    memory.setU8(params + 32, 0);
    memory.setU8(params + 40, 1);
    imports["outbound-pg"]!.query!(address, addressLength, statement, statementLength, params, 3, RET);
    expect(sent).toEqual({
      address: "postgres://db/test",
      statement: "select $1, $2, $3",
      params: [
        { tag: "int32", val: -5 },
        { tag: "str", val: "x" },
        { tag: "boolean", val: true },
      ],
    });
    expect(memory.u8(RET)).toBe(0);
    const columns = memory.u32(RET + 4);
    expect(memory.u32(RET + 8)).toBe(2);
    expect([memory.string(memory.u32(columns), memory.u32(columns + 4)), memory.u8(columns + 8)]).toEqual(["n", 4]);
    expect(memory.u8(columns + 12 + 8)).toBe(11);
    const rows = memory.u32(RET + 12);
    expect(memory.u32(RET + 16)).toBe(2);
    const first = memory.u32(rows);
    expect([memory.u8(first), memory.i64(first + 8)]).toEqual([4, -7n]);
    expect(memory.string(memory.u32(first + 24), memory.u32(first + 28))).toBe("seven");
    const second = memory.u32(rows + 8);
    expect([memory.u8(second), memory.u8(second + 16)]).toEqual([13, 14]);
    imports["outbound-pg"]!.execute!(address, addressLength, statement, statementLength, 0, 0, RET);
    expect([memory.u8(RET), memory.i64(RET + 8)]).toEqual([0, 3n]);
  });

  it("outbound-mysql and outbound-pg errors: the case by name, its text, where each result puts it", () => {
    const { memory, imports, put } = guest({
      "fermyon:spin/mysql": {
        Connection: {
          open: () => ({
            execute: () => {
              // eslint-disable-next-line @typescript-eslint/only-throw-error -- as the rdbms capability fails a statement: the WIT variant
              throw { tag: "query-failed", val: "no such table" };
            },
          }),
        },
      },
      "fermyon:spin/postgres": {
        Connection: {
          open: () => {
            // eslint-disable-next-line @typescript-eslint/only-throw-error -- as the rdbms capability refuses an address: the WIT variant
            throw { tag: "connection-failed", val: "not allowed" };
          },
        },
      },
    });
    const [address, addressLength] = put("mysql://db/test");
    const [statement, statementLength] = put("insert");
    imports["outbound-mysql"]!.execute!(address, addressLength, statement, statementLength, 0, 0, RET);
    expect([memory.u8(RET), memory.u8(RET + 4)]).toEqual([1, 3]);
    expect(memory.string(memory.u32(RET + 8), memory.u32(RET + 12))).toBe("no such table");
    imports["outbound-pg"]!.execute!(address, addressLength, statement, statementLength, 0, 0, RET);
    expect([memory.u8(RET), memory.u8(RET + 8)]).toEqual([1, 1]);
    expect(memory.string(memory.u32(RET + 12), memory.u32(RET + 16))).toBe("not allowed");
  });

  it("a pointer past the guest's memory is an error, never a read elsewhere", () => {
    const { imports } = guest({ "fermyon:spin/variables": { get: () => "x" } });
    expect(() => imports["spin-config"]!["get-config"]!(65_530, 100, RET)).toThrow(RangeError);
  });
});
