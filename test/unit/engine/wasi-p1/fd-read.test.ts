import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { BufferInput, CollectingOutput } from "../../../../src/engine/io/memory-streams.js";
import { runWasiCommand } from "../../../../src/engine/wasi-p1/index.js";

const wabt = await wabtInit();

/**
 * One fd_read of stdin into two 6-byte buffers (at 100 and 200), then both written to stdout;
 * the exit code is the count fd_read reported.
 */
const readOnce = new WebAssembly.Module(
  new Uint8Array(
    wabt
      .parseWat(
        "read-once.wat",
        `
  (module
    (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "\\64\\00\\00\\00\\06\\00\\00\\00\\c8\\00\\00\\00\\06\\00\\00\\00")
    (func (export "_start")
      (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 2) (i32.const 16)))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 2) (i32.const 20)))
      (call $proc_exit (i32.load (i32.const 16)))))`,
        {},
      )
      .toBinary({}).buffer,
  ),
);

function readStdin(chunks: string[]): { count: number; seen: string } {
  const stdout = new CollectingOutput();
  const count = runWasiCommand(readOnce, {
    args: ["read-once"],
    env: [],
    preopens: [],
    stdin: new BufferInput(chunks.map((chunk) => new TextEncoder().encode(chunk))),
    stdout,
    stderr: new CollectingOutput(),
  });
  return { count, seen: stdout.text().replaceAll("\0", ".") };
}

describe("fd_read on a stream", () => {
  it("fills the guest's buffers from every chunk there is in one call, across buffer edges", () => {
    // A body kept as the chunks it arrived in reads as one buffer would: a CGI guest that reads
    // its CONTENT_LENGTH once gets all of it.
    expect(readStdin(["abc", "", "defg", "hijkl"])).toEqual({ count: 12, seen: "abcdefghijkl" });
    expect(readStdin(["abcdefghijklmnop"])).toEqual({ count: 12, seen: "abcdefghijkl" });
  });

  it("reports what there is when the stream ends short, and 0 at its end", () => {
    expect(readStdin(["ab", "cdefgh", "i"])).toEqual({ count: 9, seen: "abcdefghi..." });
    expect(readStdin([])).toEqual({ count: 0, seen: "............" });
  });
});
