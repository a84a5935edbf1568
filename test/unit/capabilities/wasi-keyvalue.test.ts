import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { wasiKeyValue } from "../../../src/capabilities/key-value/wasi-keyvalue.js";

/** wasi:keyvalue on a fresh SQLite store, called as jco's glue calls it (thrown values are err cases). */
function freshStore() {
  const path = join(mkdtempSync(join(tmpdir(), "wisp-wkv-")), "kv.db");
  const kv = wasiKeyValue([["default", { type: "spin", path }]]);
  return { kv, bucket: kv.store.open("default") };
}

describe("wasi:keyvalue atomics on SQLite", () => {
  it("increments by negative and positive deltas, stored as Spin's 8-byte little-endian integer", () => {
    const { kv, bucket } = freshStore();
    expect(kv.atomics.increment(bucket, "n", -3n)).toBe(-3n);
    expect(kv.atomics.increment(bucket, "n", 10n)).toBe(7n);
    expect(Buffer.from(bucket.get("n")!).readBigInt64LE()).toBe(7n);
  });

  it("refuses to increment a value that is not a 64-bit integer: the interface's other error", () => {
    const { kv, bucket } = freshStore();
    bucket.set("text", new TextEncoder().encode("hello"));
    expect(() => kv.atomics.increment(bucket, "text", 1n)).toThrow(expect.objectContaining({ tag: "other" }));
    expect(new TextDecoder().decode(bucket.get("text"))).toBe("hello");
  });

  it("swaps only while the value is what `current` read; a key created meanwhile also fails the swap", () => {
    const { kv, bucket } = freshStore();
    const absent = kv.atomics.Cas.new(bucket, "k");
    expect(absent.current()).toBeUndefined();
    bucket.set("k", new Uint8Array([1]));
    expect(() => kv.atomics.swap(absent, new Uint8Array([2]))).toThrow(
      expect.objectContaining({ tag: "cas-failed", val: absent }),
    );
    const seen = kv.atomics.Cas.new(bucket, "k");
    expect(seen.current()).toEqual(new Uint8Array([1]));
    kv.atomics.swap(seen, new Uint8Array([3]));
    expect(bucket.get("k")).toEqual(new Uint8Array([3]));
  });

  it("opens only granted stores", () => {
    const { kv } = freshStore();
    expect(() => kv.store.open("other")).toThrow(expect.objectContaining({ tag: "access-denied" }));
  });
});
