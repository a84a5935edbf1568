import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { ReusableCore } from "../../../../src/engine/instance/reusable-core.js";
import { exportInstanceState } from "../../../../src/engine/wasm/export-instance-state.js";
import { importDefinedMemory } from "../../../../src/engine/wasm/import-memory.js";

const wabt = await wabtInit();
function wat(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(wabt.parseWat("t.wat", text, { bulk_memory: true, reference_types: true }).toBinary({}).buffer);
}

/** A guest with state in every place an instance keeps it: memory, a mutable global, a table. */
const STATEFUL = `(module
  (import "host" "seen" (func $seen (param i32)))
  (memory (export "memory") 2 4)
  (global $counter (mut i32) (i32.const 0))
  (global $big (mut i64) (i64.const 7))
  (table 2 funcref)
  (elem (i32.const 0) $one $two)
  (data (i32.const 100) "fresh")
  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  ;; Counts calls in the global and in memory, scribbles over the data, reports what it saw first.
  (func (export "run") (result i32)
    (call $seen (i32.add (global.get $counter) (i32.load8_u (i32.const 100))))
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.set $big (i64.const 99))
    (i32.store8 (i32.const 100) (i32.const 0))
    (i32.store (i32.const 70000) (i32.const 12345))
    (i32.load (i32.const 70000)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "swap") (table.set (i32.const 0) (ref.func $two))))`;

async function reusable(text: string) {
  const memoryPlan = importDefinedMemory(wat(text))!;
  const plan = exportInstanceState(memoryPlan.bytes, { tablesChange: true })!;
  const module = await WebAssembly.compile(plan.bytes);
  const seen: number[] = [];
  const imports = (tag: number) => ({ host: { seen: (v: number) => seen.push(tag * 1000 + v) } });
  const memory = () => new WebAssembly.Memory({ initial: memoryPlan.shape.initial, maximum: memoryPlan.shape.maximum });
  const core = ReusableCore.create(module, plan, memory(), memoryPlan.slot, imports(1));
  return { plan, module, core, seen, imports, memory, slot: memoryPlan.slot };
}

describe("exportInstanceState", () => {
  it("exports the mutable globals and the tables, leaving immutable globals alone", () => {
    const plan = exportInstanceState(
      wat(`(module (global i32 (i32.const 1)) (global (mut f64) (f64.const 2)) (table 1 funcref) (func (export "f")))`),
      { tablesChange: true },
    )!;
    expect(plan.globals).toEqual(["wisp:state/global-1"]);
    expect(plan.tables).toEqual(["wisp:state/table-0"]);
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(plan.bytes)).map((e) => e.name);
    expect(exports).toEqual(["f", "wisp:state/global-1", "wisp:state/table-0"]);
  });

  it("adds an export section to a module that had none", () => {
    const plan = exportInstanceState(wat(`(module (global (mut i32) (i32.const 1)))`), { tablesChange: true })!;
    expect(WebAssembly.Module.exports(new WebAssembly.Module(plan.bytes))).toEqual([
      { name: "wisp:state/global-0", kind: "global" },
    ]);
  });

  it("refuses what a reset could not make exact: a start function, imported state, passive segments", () => {
    expect(exportInstanceState(wat(`(module (func $s) (start $s))`), { tablesChange: true })).toBeUndefined();
    expect(
      exportInstanceState(wat(`(module (import "e" "g" (global (mut i32))))`), { tablesChange: true }),
    ).toBeUndefined();
    expect(
      exportInstanceState(wat(`(module (import "e" "t" (table 1 funcref)))`), { tablesChange: true }),
    ).toBeUndefined();
    expect(exportInstanceState(wat(`(module (memory 1) (data "x"))`), { tablesChange: true })).toBeUndefined();
    expect(exportInstanceState(wat(`(module (func $f) (elem func $f))`), { tablesChange: true })).toBeUndefined();
    // Active segments are applied at instantiation either way, however many there are.
    expect(
      exportInstanceState(
        wat(`(module (memory 1) (data (i32.const 0) "a") (data (i32.const 300) "b") (data (i32.const 9) "c"))`),
        { tablesChange: true },
      ),
    ).toBeDefined();
    // Declarative segments are dropped at instantiation either way.
    expect(exportInstanceState(wat(`(module (func $f) (elem declare func $f))`), { tablesChange: true })).toBeDefined();
  });
});

describe("ReusableCore", () => {
  it("after a reset, is indistinguishable from a fresh instance: memory, globals and imports", async () => {
    const { core, seen, imports, plan, module, memory, slot } = await reusable(STATEFUL);
    const run = core.instance.exports.run as () => number;
    expect(run()).toBe(12345);
    expect(core.reset()).toBe(true);
    core.bind(imports(2));
    expect(run()).toBe(12345);
    // Both runs saw the counter at 0 and the data byte intact ("f" = 102), each through its own imports.
    expect(seen).toEqual([1102, 2102]);

    // Byte for byte what a brand-new instance holds, and the same globals.
    expect(core.reset()).toBe(true);
    const fresh = ReusableCore.create(module, plan, memory(), slot, imports(3));
    const bytesOf = (c: ReusableCore) => new Uint8Array((c.instance.exports.memory as WebAssembly.Memory).buffer);
    expect(Buffer.compare(bytesOf(core), bytesOf(fresh))).toBe(0);
    for (const name of plan.globals) {
      expect((core.instance.exports[name] as WebAssembly.Global).value).toEqual(
        (fresh.instance.exports[name] as WebAssembly.Global).value,
      );
    }
  });

  it("says to drop it when its memory grew or its table changed", async () => {
    const grown = await reusable(STATEFUL);
    expect((grown.core.instance.exports.grow as () => number)()).toBe(2);
    expect(grown.core.reset()).toBe(false);

    const swapped = await reusable(STATEFUL);
    (swapped.core.instance.exports.swap as () => void)();
    expect(swapped.core.reset()).toBe(false);
  });

  it("drops the last request's imports on reset", async () => {
    const { core } = await reusable(STATEFUL);
    core.reset();
    expect(() => (core.instance.exports.run as () => number)()).toThrow(TypeError);
  });
});
