import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { ImportForwarders } from "../../../../src/engine/instance/import-forwarders.js";

const wabt = await wabtInit();
function compile(text: string): WebAssembly.Module {
  return new WebAssembly.Module(new Uint8Array(wabt.parseWat("t.wat", text, {}).toBinary({}).buffer));
}

// Calls its two imports and returns both results: a * 100 + b.
const caller = compile(`(module
  (import "env" "a" (func $a (result i32)))
  (import "env" "b" (func $b (result i32)))
  (func (export "both") (result i32) (i32.add (i32.mul (call $a) (i32.const 100)) (call $b))))`);
/** A wasm function returning `value`, as a kept shared core exports one. */
function wasmReturning(value: number): WebAssembly.ExportValue {
  return new WebAssembly.Instance(compile(`(module (func (export "f") (result i32) (i32.const ${value})))`)).exports.f!;
}

describe("ImportForwarders", () => {
  it("forwards each call to the functions of the instantiation bound now", () => {
    const forwarders = new ImportForwarders(caller);
    const instance = new WebAssembly.Instance(
      caller,
      forwarders.imports({ env: { a: () => 1, b: () => 2 } }) as WebAssembly.Imports,
    );
    const both = instance.exports.both as () => number;
    expect(both()).toBe(102);
    expect(forwarders.bind({ env: { a: () => 3, b: () => 4 } })).toBe(true);
    expect(both()).toBe(304);
  });

  it("wires a fixed function in directly, and serves only instantiations that pass that very function", () => {
    const shared = wasmReturning(7);
    const forwarders = new ImportForwarders(caller);
    const imports = forwarders.imports({ env: { a: shared, b: () => 1 } }, (value) => value === shared);
    // Not a forwarder: the very function, so wasm calls wasm.
    expect(imports.env!.a).toBe(shared);
    const both = new WebAssembly.Instance(caller, imports as WebAssembly.Imports).exports.both as () => number;
    expect(both()).toBe(701);
    expect(forwarders.bind({ env: { a: shared, b: () => 2 } })).toBe(true);
    expect(both()).toBe(702);
    // Another instance's function where the fixed one was: refused, and nothing is rebound.
    expect(forwarders.bind({ env: { a: wasmReturning(9), b: () => 5 } })).toBe(false);
    expect(both()).toBe(702);
  });

  it("unbinds: nothing the last instantiation passed stays reachable", () => {
    const forwarders = new ImportForwarders(caller);
    const both = new WebAssembly.Instance(
      caller,
      forwarders.imports({ env: { a: () => 1, b: () => 2 } }) as WebAssembly.Imports,
    ).exports.both as () => number;
    forwarders.unbind();
    expect(() => both()).toThrow(TypeError);
  });
});
