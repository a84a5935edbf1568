import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { importDefinedMemory, MEMORY_IMPORT } from "../../../../src/engine/wasm/import-memory.js";
import { binaryKind } from "../../../../src/engine/wasm/binary-reader.js";

const wabt = await wabtInit();
function wat(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(wabt.parseWat("t.wat", text, {}).toBinary({}).buffer);
}

describe("importDefinedMemory", () => {
  it("turns a defined memory into an import, keeping data, exports and other imports working", async () => {
    const original = wat(`(module
      (import "env" "f" (func $f (result i32)))
      (memory (export "memory") 2 10)
      (data (i32.const 16) "hi")
      (func (export "run") (result i32) (i32.add (call $f) (i32.load8_u (i32.const 17)))))`);
    const plan = importDefinedMemory(original)!;
    expect(plan.slot).toEqual(MEMORY_IMPORT);
    expect(plan.shape).toEqual({ initial: 2, maximum: 10 });
    const module = await WebAssembly.compile(plan.bytes);
    expect(WebAssembly.Module.imports(module)).toContainEqual({
      module: "wisp:runtime",
      name: "memory",
      kind: "memory",
    });
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 10 });
    const instance = await WebAssembly.instantiate(module, { env: { f: () => 1 }, "wisp:runtime": { memory } });
    expect((instance.exports.run as () => number)()).toBe(1 + "i".charCodeAt(0));
    expect(instance.exports.memory).toBe(memory);
    expect(new Uint8Array(memory.buffer, 16, 2)).toEqual(new Uint8Array([104, 105]));
  });

  it("adds an import section where the module had none", async () => {
    const plan = importDefinedMemory(wat(`(module (type (func)) (memory 1) (func (export "x")))`))!;
    const module = await WebAssembly.compile(plan.bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: "wisp:runtime", name: "memory", kind: "memory" }]);
    expect(plan.shape).toEqual({ initial: 1 });
  });

  it("reports a module that already imports its memory as it is", () => {
    const bytes = wat(`(module (import "env" "memory" (memory 3)))`);
    const plan = importDefinedMemory(bytes)!;
    expect(plan.bytes).toBe(bytes);
    expect(plan.slot).toEqual({ module: "env", name: "memory" });
  });

  it("leaves modules without memory or with shared memory alone", () => {
    expect(importDefinedMemory(wat(`(module (func (export "x")))`))).toBeUndefined();
    const shared = wabt.parseWat("s.wat", `(module (memory 1 2 shared))`, { threads: true }).toBinary({}).buffer;
    expect(importDefinedMemory(new Uint8Array(shared))).toBeUndefined();
  });

  it("tells modules from components", () => {
    expect(binaryKind(wat(`(module)`))).toBe("module");
    expect(binaryKind(Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]))).toBe("component");
    expect(binaryKind(new TextEncoder().encode("not wasm"))).toBe("unknown");
  });
});
