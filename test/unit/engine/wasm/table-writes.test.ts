import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { writesTables } from "../../../../src/engine/wasm/table-writes.js";

const wabt = await wabtInit();
function wat(text: string): Uint8Array {
  return new Uint8Array(wabt.parseWat("t.wat", text, { bulk_memory: true, reference_types: true }).toBinary({}).buffer);
}

const TABLE = `(table 2 funcref) (elem (i32.const 0) $a $b) (func $a) (func $b)`;

describe("writesTables", () => {
  it("is false for a module that only reads its table (call_indirect, table.get, table.size)", () => {
    expect(
      writesTables(
        wat(`(module ${TABLE}
      (type $t (func))
      (func (export "f") (call_indirect (type $t) (i32.const 1)) (drop (table.get (i32.const 0))) (drop (table.size))))`),
      ),
    ).toBe(false);
  });

  it.each([
    ["table.set", `(table.set (i32.const 0) (ref.func $b))`],
    ["table.grow", `(drop (table.grow (ref.null func) (i32.const 1)))`],
    ["table.fill", `(table.fill (i32.const 0) (ref.func $a) (i32.const 1))`],
    ["table.copy", `(table.copy (i32.const 0) (i32.const 1) (i32.const 1))`],
  ])("is true for code with %s", (_, instruction) => {
    expect(writesTables(wat(`(module ${TABLE} (elem declare func $a $b) (func (export "f") ${instruction}))`))).toBe(
      true,
    );
  });

  it("is true when the module exports a table, which JavaScript could change", () => {
    expect(writesTables(wat(`(module ${TABLE} (export "t" (table 0)))`))).toBe(true);
  });

  it("is true for bytes it cannot decode", () => {
    expect(writesTables(Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 10, 5, 1, 3, 0, 0xff]))).toBe(true);
  });
});
