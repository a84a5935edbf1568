import { readFileSync } from "node:fs";
import { join } from "node:path";
import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { FUEL_EXPORT } from "../../../../src/engine/wasm/fuel-export.js";
import { meterFuel } from "../../../../src/engine/wasm/meter-fuel.js";
import { CollectingOutput, BufferInput } from "../../../../src/engine/io/memory-streams.js";
import { Preview1Host } from "../../../../src/engine/wasi-p1/index.js";
import { repoRoot } from "../../../support/dist.js";

const wabt = await wabtInit();
function wat(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(
    wabt.parseWat("t.wat", text, { bulk_memory: true, reference_types: true, multi_value: true }).toBinary({}).buffer,
  );
}

function instantiate(text: string, imports: WebAssembly.Imports = {}) {
  const metered = meterFuel(wat(text))!;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(metered), imports);
  const fuel = instance.exports[FUEL_EXPORT] as WebAssembly.Global;
  return { exports: instance.exports as Record<string, (...args: number[]) => number>, fuel };
}

/** Counts to n in a loop of a few instructions. */
const COUNTER = `(module
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    (loop $again
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i)))`;

describe("meterFuel", () => {
  describe("sized instructions are charged by their size, not as one instruction", () => {
    // Imports a function, so the charging functions must be numbered after imports and definitions.
    const BULK = `(module
      (import "env" "nop" (func $nop))
      (memory (export "memory") 1 8192)
      (table 16 funcref)
      (func (export "fill") (param $n i32) (result i32)
        (call $nop)
        (memory.fill (i32.const 0) (i32.const 7) (local.get $n))
        (i32.load8_u (i32.sub (local.get $n) (i32.const 1))))
      (func (export "copy") (param $n i32) (memory.copy (i32.const 0) (i32.const 65536) (local.get $n)))
      (func (export "grow") (param $pages i32) (result i32) (memory.grow (local.get $pages)))
      (func (export "tableFill") (param $n i32) (table.fill (i32.const 0) (ref.null func) (local.get $n))))`;
    const imports = { env: { nop: () => {} } };

    it("a 256 MiB fill and a 256 MiB copy spend about a quarter unit per byte, and stop a run with too little fuel", () => {
      const { exports, fuel } = instantiate(BULK, imports);
      fuel.value = 2_000_000_000;
      expect(exports.grow!(4095)).toBe(1);
      const before = fuel.value as number;
      expect(exports.fill!(256 << 20)).toBe(7);
      expect(before - (fuel.value as number)).toBeGreaterThanOrEqual((256 << 20) / 4);
      fuel.value = 5_000_000;
      expect(() => exports.fill!(256 << 20)).toThrow(WebAssembly.RuntimeError);
      expect(fuel.value as number).toBeLessThan(0);
      fuel.value = 5_000_000;
      expect(() => exports.copy!(128 << 20)).toThrow(WebAssembly.RuntimeError);
      fuel.value = 5_000_000;
      expect(exports.fill!(1000)).toBe(7);
    });

    it("memory.grow costs its pages, and a delta too large to grow neither wraps the charge nor grows", () => {
      const { exports, fuel } = instantiate(BULK, imports);
      fuel.value = 5_000_000;
      expect(() => exports.grow!(1024)).toThrow(WebAssembly.RuntimeError);
      fuel.value = 2_000_000_000;
      expect(exports.grow!(-1)).toBe(-1);
      expect(fuel.value as number).toBeGreaterThan(0);
      fuel.value = 5_000_000;
      expect(exports.grow!(1)).toBe(1);
    });

    it("table operations are charged by their count of elements", () => {
      const { exports, fuel } = instantiate(BULK, imports);
      fuel.value = 1_000_000;
      exports.tableFill!(0);
      const instructions = 1_000_000 - (fuel.value as number);
      // Enough for the instructions, not for 16 elements at a quarter unit each.
      fuel.value = instructions + 2;
      expect(() => exports.tableFill!(16)).toThrow(WebAssembly.RuntimeError);
      fuel.value = instructions + 4;
      exports.tableFill!(16);
    });
  });

  it("leaves a run within its fuel unchanged and charges it per loop iteration", () => {
    const { exports, fuel } = instantiate(COUNTER);
    fuel.value = 1_000_000;
    expect(exports.count!(1000)).toBe(1000);
    const spent = 1_000_000 - (fuel.value as number);
    // 1000 iterations of a 9-instruction body, plus the function's own few.
    expect(spent).toBeGreaterThanOrEqual(9000);
    expect(spent).toBeLessThan(9100);
  });

  it("stops a loop that would run past its fuel with a trap, leaving the counter negative", () => {
    const { exports, fuel } = instantiate(COUNTER);
    fuel.value = 50_000;
    expect(() => exports.count!(1e9)).toThrow(WebAssembly.RuntimeError);
    expect(fuel.value as number).toBeLessThan(0);
    fuel.value = 1_000_000;
    expect(exports.count!(10)).toBe(10);
  });

  it("stops recursion that never loops, at a function entry", () => {
    const { exports, fuel } = instantiate(`(module
      (func $fib (export "fib") (param $n i32) (result i32)
        (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
          (then (local.get $n))
          (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (call $fib (i32.sub (local.get $n) (i32.const 2))))))))`);
    fuel.value = 1_000_000;
    expect(exports.fib!(15)).toBe(610);
    fuel.value = 100_000;
    expect(() => exports.fib!(40)).toThrow(WebAssembly.RuntimeError);
    expect(fuel.value as number).toBeLessThan(0);
  });

  it("tells its own stop from the guest's trap: a guest's unreachable leaves fuel", () => {
    const { exports, fuel } = instantiate(`(module (func (export "boom") unreachable))`);
    fuel.value = 100;
    expect(() => exports.boom!()).toThrow(WebAssembly.RuntimeError);
    expect(fuel.value as number).toBeGreaterThanOrEqual(0);
  });

  it("numbers its global after imported and defined ones, and keeps nested loops and multi-value blocks valid", () => {
    const { exports, fuel } = instantiate(
      `(module
      (import "env" "base" (global $base i32))
      (global $g (mut i32) (i32.const 5))
      (func (export "grid") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $sum i32)
        (loop $rows
          (local.set $j (i32.const 0))
          (loop $cols
            (local.set $sum (i32.add (local.get $sum) (i32.const 1)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $cols (i32.lt_u (local.get $j) (local.get $n))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $rows (i32.lt_u (local.get $i) (local.get $n))))
        (i32.add (i32.add (local.get $sum) (global.get $base)) (global.get $g)))
      (func (export "pair") (result i32)
        (i32.const 1) (i32.const 2)
        (loop (param i32 i32) (result i32) (i32.add))))`,
      { env: { base: new WebAssembly.Global({ value: "i32" }, 100) } },
    );
    fuel.value = 10_000_000;
    expect(exports.grid!(100)).toBe(10_105);
    expect(exports.pair!()).toBe(3);
  });

  it("meters a module with no globals and no exports", () => {
    const metered = meterFuel(wat(`(module (func (loop)))`))!;
    const module = new WebAssembly.Module(metered);
    expect(WebAssembly.Module.exports(module)).toEqual([{ name: FUEL_EXPORT, kind: "global" }]);
  });

  it("keeps a real WASI program's behaviour (the C WAGI hello)", () => {
    const bytes = new Uint8Array(readFileSync(join(repoRoot, "test/fixtures/.build/wagi-hello.wasm")));
    const module = new WebAssembly.Module(meterFuel(bytes)!);
    const host = new Preview1Host();
    const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: host.imports });
    const fuel = instance.exports[FUEL_EXPORT] as WebAssembly.Global;
    const run = () => {
      const stdout = new CollectingOutput();
      const code = host.runInstance(instance, instance.exports.memory as WebAssembly.Memory, {
        args: ["hello"],
        env: [],
        stdin: new BufferInput(),
        stdout,
        stderr: new CollectingOutput(),
        preopens: [],
      });
      return { code, text: stdout.text() };
    };
    // It starts with no fuel at all: a metered module runs only once its host has set it.
    expect(run).toThrow(WebAssembly.RuntimeError);
    fuel.value = 5_000_000;
    expect(run()).toEqual({ code: 0, text: expect.stringContaining("hello from C") as string });
  });

  it("is undefined for code it cannot decode", () => {
    expect(meterFuel(Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 10, 4, 1, 2, 0, 0xff]))).toBeUndefined();
  });
});
