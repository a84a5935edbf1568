import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import wabtInit from "wabt";
import { describe, expect, it } from "vitest";
import { BufferInput, CollectingOutput } from "../../../../src/engine/io/memory-streams.js";
import { FdFlags, FstFlags, OFlags, Rights } from "../../../../src/engine/wasi-p1/constants.js";
import { Errno } from "../../../../src/engine/wasi-p1/errno.js";
import { runWasiCommand } from "../../../../src/engine/wasi-p1/index.js";

const wabt = await wabtInit();

/** A guest whose exit code is the errno of one call on `path` in the preopen (fd 3). */
function guest(path: string, call: string): WebAssembly.Module {
  const wat = `
    (module
      (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "path_filestat_set_times" (func $set_times (param i32 i32 i32 i32 i64 i64 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
      (memory (export "memory") 1)
      (data (i32.const 0) "${path}")
      (func (export "_start") (call $proc_exit ${call})))`;
  return new WebAssembly.Module(new Uint8Array(wabt.parseWat("guest.wat", wat, {}).toBinary({}).buffer));
}

function run(module: WebAssembly.Module, root: string, writable: boolean): number {
  return runWasiCommand(module, {
    args: ["guest"],
    env: [],
    stdin: new BufferInput(new Uint8Array()),
    stdout: new CollectingOutput(),
    stderr: new CollectingOutput(),
    preopens: [{ guestPath: "/", hostPath: root, writable }],
  });
}

function open(root: string, writable: boolean, path: string, oflags: number, rights: bigint, fdflags = 0): number {
  const call = `(call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const ${path.length}) (i32.const ${oflags}) (i64.const ${rights}) (i64.const 0) (i32.const ${fdflags}) (i32.const 512))`;
  return run(guest(path, call), root, writable);
}

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), "wisp-open-"));
  mkdirSync(join(root, "dir"));
  writeFileSync(join(root, "file"), "x");
  return root;
}

describe("path_open", () => {
  it("opens a directory with write rights it passes on, but not for fd_write (as open(2))", () => {
    const root = tree();
    expect(
      open(
        root,
        true,
        "dir",
        OFlags.DIRECTORY,
        Rights.FD_READ | Rights.FD_DATASYNC | Rights.FD_ALLOCATE | Rights.PATH_CREATE_FILE,
      ),
    ).toBe(0);
    expect(open(root, true, "dir", OFlags.DIRECTORY, Rights.FD_READ | Rights.FD_WRITE)).toBe(Errno.ISDIR);
    expect(open(root, true, "dir", 0, Rights.FD_WRITE)).toBe(Errno.ISDIR);
    expect(open(root, true, "dir", OFlags.DIRECTORY | OFlags.CREAT, 0n)).toBe(Errno.INVAL);
    expect(open(root, true, "dir", OFlags.DIRECTORY | OFlags.TRUNC, 0n)).toBe(Errno.INVAL);
  });

  it("does not create a file for a name with a trailing slash", () => {
    const root = tree();
    expect(open(root, true, "new/", OFlags.CREAT, Rights.FD_WRITE)).toBe(Errno.ISDIR);
    expect(existsSync(join(root, "new"))).toBe(false);
  });

  it("opens with the sync fdflags, and still refuses writes to a read-only tree", () => {
    const root = tree();
    expect(open(root, true, "file", 0, Rights.FD_READ | Rights.FD_WRITE, FdFlags.SYNC | FdFlags.DSYNC)).toBe(0);
    expect(open(root, false, "file", 0, Rights.FD_WRITE)).toBe(Errno.ROFS);
    expect(open(root, false, "file", 0, Rights.FD_READ)).toBe(0);
  });

  it("refuses .. above the descriptor it resolves from", () => {
    const root = tree();
    expect(open(root, true, "dir/../file", 0, Rights.FD_READ)).toBe(0);
    expect(open(root, true, "../file", 0, Rights.FD_READ)).toBe(Errno.PERM);
  });
});

describe("path_filestat_set_times", () => {
  const setTimes = (root: string, writable: boolean, flags: number) =>
    run(
      guest(
        "file",
        `(call $set_times (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 4) (i64.const 5) (i64.const 6) (i32.const ${flags}))`,
      ),
      root,
      writable,
    );

  it("refuses a value and now for the same time, and a read-only tree", () => {
    expect(setTimes(tree(), true, FstFlags.ATIM | FstFlags.MTIM)).toBe(0);
    expect(setTimes(tree(), true, FstFlags.ATIM | FstFlags.ATIM_NOW)).toBe(Errno.INVAL);
    expect(setTimes(tree(), true, FstFlags.MTIM | FstFlags.MTIM_NOW)).toBe(Errno.INVAL);
    expect(setTimes(tree(), false, FstFlags.ATIM | FstFlags.MTIM)).toBe(Errno.ROFS);
  });
});
