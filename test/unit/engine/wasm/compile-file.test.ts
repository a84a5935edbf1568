import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../../../src/engine/wasm/compile-file.js";

const wabt = await wabtInit();
const dir = mkdtempSync(join(tmpdir(), "wisp-compile-file-"));

function fileOf(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe("compileFile", () => {
  it("compiles every byte of the file, whatever its size against the 64 KiB pages it is read into", async () => {
    // A data segment makes the file longer than one page and not a whole number of them.
    const text = `(module (memory 2) (data (i32.const 0) "${"\\2a".repeat(70_000)}")
      (func (export "last") (result i32) (i32.load8_u (i32.const 69999))))`;
    const bytes = new Uint8Array(wabt.parseWat("t.wat", text, {}).toBinary({}).buffer);
    expect(bytes.length).toBeGreaterThan(65_536);
    const module = await compileFile(fileOf("big.wasm", bytes));
    const instance = new WebAssembly.Instance(module);
    expect((instance.exports.last as () => number)()).toBe(0x2a);
  });

  it("rejects a file that is not valid wasm, as compiling its bytes would", async () => {
    const path = fileOf("bad.wasm", new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0xff]));
    await expect(compileFile(path)).rejects.toBeInstanceOf(WebAssembly.CompileError);
  });

  it("rejects a file that is missing", async () => {
    await expect(compileFile(join(dir, "absent.wasm"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
