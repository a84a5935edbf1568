import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { inlineForm } from "../../../../../src/triggers/http/executors/wagi/inline-form.js";
import { loadInlineWagi } from "../../../../../src/triggers/http/executors/wagi/wagi-inline.js";
import { FUEL_EXPORT } from "../../../../../src/engine/wasm/fuel-export.js";

const wabt = await wabtInit();
const wat = (text: string): Uint8Array<ArrayBuffer> =>
  new Uint8Array(wabt.parseWat("t.wat", text, {}).toBinary({}).buffer);

/** A WAGI-shaped module that can run inline: one defined memory, a mutable global, a loop. */
const INLINABLE = wat(`(module
  (memory (export "memory") 1)
  (global $calls (mut i32) (i32.const 0))
  (func (export "_start") (local $i i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (loop $again (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $again (i32.lt_u (local.get $i) (i32.const 10))))))`);

/** A start function ran once, at instantiation: a reused instance could not be made fresh. */
const WITH_START = wat(`(module (memory 1) (func $init) (start $init) (func (export "_start")))`);

const digest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const exportsFuel = (bytes: Uint8Array<ArrayBuffer>) =>
  WebAssembly.Module.exports(new WebAssembly.Module(bytes)).some((e) => e.name === FUEL_EXPORT && e.kind === "global");

describe("the inline form of a WAGI module", () => {
  it("is made once and then read from the cache folder", async () => {
    const cache = mkdtempSync(join(tmpdir(), "wisp-inline-form-"));
    const made = (await inlineForm(INLINABLE, digest(INLINABLE), cache))!;
    expect(exportsFuel(made.bytes)).toBe(true);
    expect(made.state.globals).toHaveLength(1);
    expect(made.memory.shape.initial).toBe(1);

    // Forge the cached description: the next start returns it, so it did not rewrite again.
    const described = readdirSync(cache).find((name) => name.endsWith(".json"))!;
    const json = JSON.parse(readFileSync(join(cache, described), "utf8"));
    json.memory.shape.initial = 7;
    writeFileSync(join(cache, described), JSON.stringify(json));
    const cached = (await inlineForm(INLINABLE, digest(INLINABLE), cache))!;
    expect(cached.memory.shape.initial).toBe(7);
    expect(Buffer.from(cached.bytes)).toEqual(Buffer.from(made.bytes));
  });

  it("remembers that a module cannot run inline", async () => {
    const cache = mkdtempSync(join(tmpdir(), "wisp-inline-form-"));
    expect(await inlineForm(WITH_START, digest(WITH_START), cache)).toBeUndefined();
    const files = readdirSync(cache);
    expect(files).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(cache, files[0]!), "utf8"))).toEqual({ inline: false });
    expect(await inlineForm(WITH_START, digest(WITH_START), cache)).toBeUndefined();
  });

  it("is made without caching when the cache folder cannot be written", async () => {
    const blocked = join(mkdtempSync(join(tmpdir(), "wisp-inline-form-")), "file");
    writeFileSync(blocked, "not a folder");
    expect(exportsFuel((await inlineForm(INLINABLE, digest(INLINABLE), blocked))!.bytes)).toBe(true);
  });

  it("never runs a cached module that is not metered on the main thread", async () => {
    const cache = mkdtempSync(join(tmpdir(), "wisp-inline-form-"));
    const spec = { maxMemoryBytes: 16 << 20 };
    expect(await loadInlineWagi({ bytes: INLINABLE, digest: digest(INLINABLE) }, spec, cache)).toBeDefined();
    const stored = readdirSync(cache).find((name) => name.endsWith(".wasm"))!;
    writeFileSync(join(cache, stored), INLINABLE);
    expect(await loadInlineWagi({ bytes: INLINABLE, digest: digest(INLINABLE) }, spec, cache)).toBeUndefined();
  });
});
