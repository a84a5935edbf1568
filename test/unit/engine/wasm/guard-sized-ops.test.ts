import { spawnSync } from "node:child_process";
import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { guardSizedOps } from "../../../../src/engine/wasm/meter-fuel.js";

const wabt = await wabtInit();
function wat(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(wabt.parseWat("t.wat", text, { bulk_memory: true }).toBinary({}).buffer);
}

/** A loop whose body is one 16 MiB fill: V8 never stopped its worker on terminate(). */
const FILL_LOOP = `(module (memory (export "memory") 1 8192)
  (func (export "_start") (drop (memory.grow (i32.const 4095)))
    (loop $forever (memory.fill (i32.const 0) (i32.const 1) (i32.const 16777216)) (br $forever))))`;

/**
 * Runs `bytes`' `_start` on a worker thread in a child process, terminates the worker after
 * 300 ms, and says whether it stopped; the child is killed if it did not (a thread that cannot be
 * stopped would otherwise keep the test's own process alive).
 */
function stopsOnTerminate(bytes: Uint8Array): boolean {
  const script = `
    const { Worker } = require("node:worker_threads");
    const bytes = Buffer.from(process.argv[1], "base64");
    const worker = new Worker("const { workerData } = require('node:worker_threads');" +
      "new WebAssembly.Instance(new WebAssembly.Module(workerData), {}).exports._start();", { eval: true, workerData: bytes });
    setTimeout(() => worker.terminate().then(() => { console.log("stopped"); process.exit(0); }), 300);`;
  const child = spawnSync(process.execPath, ["-e", script, Buffer.from(bytes).toString("base64")], {
    timeout: 8_000,
    encoding: "utf8",
  });
  return child.stdout.includes("stopped");
}

describe("guardSizedOps", () => {
  it("makes a loop of bulk fills stoppable by worker.terminate()", () => {
    const guarded = guardSizedOps(wat(FILL_LOOP));
    expect(guarded).toBeDefined();
    expect(stopsOnTerminate(guarded!)).toBe(true);
  }, 20_000);

  it("keeps what the instructions do, and leaves a module without them alone", () => {
    const module = wat(`(module (memory (export "memory") 1)
      (func (export "run") (result i32)
        (memory.fill (i32.const 0) (i32.const 9) (i32.const 100))
        (memory.copy (i32.const 200) (i32.const 0) (i32.const 50))
        (i32.add (i32.load8_u (i32.const 99)) (i32.load8_u (i32.const 249)))))`);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(guardSizedOps(module)!));
    expect((instance.exports.run as () => number)()).toBe(18);
    expect(guardSizedOps(wat(`(module (func (export "f") (result i32) (i32.const 1)))`))).toBeUndefined();
  });
});
