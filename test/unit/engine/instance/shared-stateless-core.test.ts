import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { SharedStatelessCore } from "../../../../src/engine/instance/shared-stateless-core.js";

const wabt = await wabtInit();
const compile = (text: string) => new WebAssembly.Module(new Uint8Array(wabt.parseWat("t.wat", text, { reference_types: true }).toBinary({}).buffer));

// Fills an imported table with its one imported function, as jco's fixup core does.
const filler = compile(`(module
  (import "actual" "0" (func $f (param i32) (result i32)))
  (import "shim" "table" (table 1 1 funcref))
  (elem (i32.const 0) $f))`);
const newTable = () => new WebAssembly.Table({ element: "anyfunc", initial: 1, maximum: 1 });
const call = (table: WebAssembly.Table, n: number) => (table.get(0) as (n: number) => number)(n);

describe("SharedStatelessCore", () => {
  it("serves each instantiation with that instantiation's functions, one at a time", () => {
    const table = newTable();
    const core = SharedStatelessCore.create(filler, { actual: { "0": (n: number) => n + 1 }, shim: { table } });
    expect(call(table, 1)).toBe(2);
    expect(core.acquire({ actual: { "0": (n: number) => n * 10 }, shim: { table } })).toBeUndefined(); // still held
    core.release();
    const again = core.acquire({ actual: { "0": (n: number) => n * 10 }, shim: { table } });
    expect(again).toBe(core.instance);
    expect(call(table, 2)).toBe(20);
    core.release();
    // Released: nothing of the last instantiation is reachable through it.
    expect(() => call(table, 3)).toThrow();
  });

  it("declines an instantiation that brings other tables: its element segments wrote into the first one only", () => {
    const core = SharedStatelessCore.create(filler, { actual: { "0": (n: number) => n }, shim: { table: newTable() } });
    core.release();
    expect(core.acquire({ actual: { "0": (n: number) => n }, shim: { table: newTable() } })).toBeUndefined();
  });
});
