import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { isStatelessCore } from "../../../../src/engine/wasm/stateless-core.js";

const wabt = await wabtInit();
function wat(text: string): Uint8Array {
  return new Uint8Array(wabt.parseWat("t.wat", text, { bulk_memory: true, reference_types: true }).toBinary({}).buffer);
}

describe("isStatelessCore", () => {
  it("is true for jco's two table shims: one that calls through an exported table, one that fills an imported one", () => {
    expect(
      isStatelessCore(
        wat(`(module
      (type $t (func (param i32)))
      (table (export "$imports") 2 2 funcref)
      (func (export "0") (param i32) (call_indirect (type $t) (local.get 0) (i32.const 0))))`),
      ),
    ).toBe(true);
    expect(
      isStatelessCore(
        wat(`(module
      (type $t (func (param i32)))
      (import "actual" "0" (func $f (type $t)))
      (import "shim" "$imports" (table 2 2 funcref))
      (elem (i32.const 0) $f))`),
      ),
    ).toBe(true);
  });

  it("is true with immutable globals", () => {
    expect(
      isStatelessCore(
        wat(
          `(module (import "m" "g" (global i32)) (global i32 (i32.const 1)) (func (export "f") (result i32) (global.get 0)))`,
        ),
      ),
    ).toBe(true);
  });

  it.each([
    ["a memory it defines", `(memory 1)`],
    ["a memory it imports", `(import "m" "memory" (memory 1))`],
    ["a mutable global", `(global (mut i32) (i32.const 0))`],
    ["an imported mutable global", `(import "m" "g" (global (mut i32)))`],
    ["a start function", `(func $s) (start $s)`],
    ["code that writes a table", `(table 1 funcref) (func (export "f") (table.set (i32.const 0) (ref.null func)))`],
    ["a loop (it would need a fuel meter on the server's thread)", `(func (export "f") (loop $l (br $l)))`],
  ])("is false with %s", (_, text) => {
    expect(isStatelessCore(wat(`(module ${text})`))).toBe(false);
  });

  it("is false for bytes it cannot decode", () => {
    expect(isStatelessCore(Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 10, 5, 1, 3, 0, 0xff]))).toBe(false);
  });
});
