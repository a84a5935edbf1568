import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { KeptCore } from "../../../../src/engine/instance/kept-core.js";
import { exportInstanceState } from "../../../../src/engine/wasm/export-instance-state.js";

const wabt = await wabtInit();
const compile = (text: string) =>
  new WebAssembly.Module(new Uint8Array(wabt.parseWat("t.wat", text, { reference_types: true }).toBinary({}).buffer));

// Fills an imported table with its one imported function, as jco's fixup core does.
const filler = compile(`(module
  (import "actual" "0" (func $f (param i32) (result i32)))
  (import "shim" "table" (table 1 1 funcref))
  (elem (i32.const 0) $f))`);
const newTable = () => new WebAssembly.Table({ element: "anyfunc", initial: 1, maximum: 1 });
const call = (table: WebAssembly.Table, n: number) => (table.get(0) as (n: number) => number)(n);

describe("KeptCore", () => {
  it("serves each instantiation with that instantiation's functions, one at a time", () => {
    const table = newTable();
    const core = KeptCore.create(filler, { actual: { "0": (n: number) => n + 1 }, shim: { table } });
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
    const core = KeptCore.create(filler, { actual: { "0": (n: number) => n }, shim: { table: newTable() } });
    core.release();
    expect(core.acquire({ actual: { "0": (n: number) => n }, shim: { table: newTable() } })).toBeUndefined();
  });

  // Like jco's preview1 adapter: no memory of its own, a counter in a mutable global, the main module's memory imported.
  const adapterText = `(module
    (import "env" "memory" (memory 1))
    (import "host" "log" (func $log (param i32)))
    (global $calls (mut i32) (i32.const 7))
    (func (export "call") (result i32)
      (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
      (i32.store (i32.const 0) (global.get $calls))
      (call $log (global.get $calls))
      (global.get $calls)))`;
  const adapterPlan = exportInstanceState(new Uint8Array(wabt.parseWat("a.wat", adapterText).toBinary({}).buffer), {
    tablesChange: false,
  })!;
  const adapter = new WebAssembly.Module(adapterPlan.bytes);
  const state = { globals: adapterPlan.globals, tables: adapterPlan.tables };
  const callOf = (instance: WebAssembly.Instance) => (instance.exports.call as () => number)();

  it("puts a memory-sharing core's globals back as a fresh instance has them, and calls each instantiation's functions", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const first: number[] = [];
    const core = KeptCore.create(adapter, { env: { memory }, host: { log: (n: number) => first.push(n) } }, { state });
    expect([callOf(core.instance), callOf(core.instance)]).toEqual([8, 9]);
    expect(core.release()).toBe(true);
    const second: number[] = [];
    const again = core.acquire({ env: { memory }, host: { log: (n: number) => second.push(n) } })!;
    expect(again).toBe(core.instance);
    // A fresh instance would answer 8 again: the global is back at 7.
    expect(callOf(again)).toBe(8);
    expect(first).toEqual([8, 9]);
    expect(second).toEqual([8]);
  });

  it("declines an instantiation with another memory: that memory is another core instance's", () => {
    const core = KeptCore.create(
      adapter,
      { env: { memory: new WebAssembly.Memory({ initial: 1 }) }, host: { log: () => {} } },
      { state },
    );
    core.release();
    expect(
      core.acquire({ env: { memory: new WebAssembly.Memory({ initial: 1 }) }, host: { log: () => {} } }),
    ).toBeUndefined();
  });

  it("declines an instantiation that passes another function where one is wired in directly", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const log = () => {};
    const core = KeptCore.create(
      adapter,
      { env: { memory }, host: { log } },
      { state, fixedImport: (value) => value === log },
    );
    core.release();
    expect(core.acquire({ env: { memory }, host: { log: () => {} } })).toBeUndefined();
    expect(core.acquire({ env: { memory }, host: { log } })).toBe(core.instance);
  });

  it("cannot be put back when its code changed one of its tables", () => {
    const text = `(module (table $t (export "t") 1 funcref) (func $f) (elem declare func $f)
      (func (export "write") (table.set $t (i32.const 0) (ref.func $f))))`;
    const plan = exportInstanceState(
      new Uint8Array(wabt.parseWat("w.wat", text, { reference_types: true, bulk_memory: true }).toBinary({}).buffer),
      { tablesChange: true },
    )!;
    const core = KeptCore.create(
      new WebAssembly.Module(plan.bytes),
      {},
      { state: { globals: plan.globals, tables: plan.tables } },
    );
    expect(core.release()).toBe(true);
    core.acquire({});
    (core.instance.exports.write as () => void)();
    expect(core.release()).toBe(false);
    expect(core.acquire({})).toBeUndefined();
  });
});
