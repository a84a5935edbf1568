import { spawnSync } from "node:child_process";
import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { assertValidWasm, compileWasm } from "../../../../src/engine/wasm/compile.js";
import { distUrl } from "../../../support/dist.js";

const wabt = await wabtInit();

/** A module whose function `bad` does not validate: `i32.add` with an empty stack (wabt would refuse it as text). */
function withInvalidFunction(): Uint8Array<ArrayBuffer> {
  const text = `(module (func (export "good") (result i32) (i32.const 7)) (func (export "bad") (result i32) (i32.const 1)))`;
  const bytes = new Uint8Array(wabt.parseWat("t.wat", text, {}).toBinary({}).buffer);
  // The second body is `00 41 01 0b` (no locals, i32.const 1, end): make it `00 6a 01 0b`, i32.add then a stray byte.
  const body = bytes.lastIndexOf(0x41);
  expect(bytes[body + 1]).toBe(1);
  bytes[body] = 0x6a;
  return bytes;
}

describe("compileWasm", () => {
  it("rejects a module with an invalid function, with V8's message naming it", async () => {
    const bytes = withInvalidFunction();
    await expect(compileWasm(bytes)).rejects.toThrow(/Compiling function #1(:"bad")? failed/);
    expect(() => assertValidWasm(bytes)).toThrow(WebAssembly.CompileError);
  });

  it("compiles bytes validated before without validating them again; a bad function then fails when first called, as an error", () => {
    // What a cache altered on disk would give: the process must go on (V8 aborts it if lazy
    // validation was turned off). In a fresh process: compileError, above, sets the flag too.
    const script = `
      const { compileWasm } = await import(${JSON.stringify(distUrl("engine/wasm/compile.js").href)});
      const module = await compileWasm(Buffer.from(process.argv[1], "base64"), { validated: true });
      const { good, bad } = new WebAssembly.Instance(module).exports;
      let failure = "none";
      try { bad(); } catch (error) { failure = error.constructor.name; }
      console.log(JSON.stringify({ good: good(), failure }));`;
    const child = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", script, Buffer.from(withInvalidFunction()).toString("base64")],
      { encoding: "utf8" },
    );
    expect(child.stderr).toBe("");
    expect(JSON.parse(child.stdout)).toEqual({ good: 7, failure: "CompileError" });
  });

  it("compiles a valid module either way", async () => {
    const bytes = new Uint8Array(
      wabt.parseWat("t.wat", `(module (func (export "f") (result i32) (i32.const 3)))`, {}).toBinary({}).buffer,
    );
    for (const validated of [false, true]) {
      const exports = new WebAssembly.Instance(await compileWasm(bytes, { validated })).exports as Record<
        string,
        () => number
      >;
      expect(exports.f!()).toBe(3);
    }
  });
});
