import { lstatSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FstFlags } from "../../../../src/engine/wasi-p1/constants.js";
import { Errno, WasiErrno } from "../../../../src/engine/wasi-p1/errno.js";
import { checkFstFlags, GuestTimes } from "../../../../src/engine/wasi-p1/guest-times.js";

function file(): string {
  const path = join(mkdtempSync(join(tmpdir(), "wisp-times-")), "file");
  writeFileSync(path, "x");
  return path;
}

describe("GuestTimes", () => {
  it("reads back the nanoseconds a guest set, though the host keeps only microseconds", () => {
    const path = file();
    const times = new GuestTimes();
    const stat = () => lstatSync(path, { bigint: true });
    const before = stat();
    const mtime = before.mtimeNs - 100n;
    times.set(before, 0n, mtime, FstFlags.MTIM, (a, m) => utimesSync(path, a, m), stat);
    expect(stat().mtimeNs).not.toBe(mtime);
    // The untouched atime reads as before, not as the microseconds it was set back to.
    expect(times.seen(stat())).toEqual({ atimeNs: before.atimeNs, mtimeNs: mtime });
    // A fresh instance sees the host's times.
    expect(new GuestTimes().seen(stat()).mtimeNs).toBe(stat().mtimeNs);
  });

  it("lets a later change on the host show through", () => {
    const path = file();
    const times = new GuestTimes();
    const stat = () => lstatSync(path, { bigint: true });
    times.set(stat(), 0n, 1_000_000_000_123n, FstFlags.MTIM, (a, m) => utimesSync(path, a, m), stat);
    expect(times.seen(stat()).mtimeNs).toBe(1_000_000_000_123n);
    utimesSync(path, 5, 5);
    expect(times.seen(stat()).mtimeNs).toBe(5_000_000_000n);
  });
});

describe("checkFstFlags", () => {
  it("refuses a value and now for the same time", () => {
    const errno = (flags: number) => {
      try {
        checkFstFlags(flags);
        return Errno.SUCCESS;
      } catch (error) {
        return (error as WasiErrno).errno;
      }
    };
    expect(errno(FstFlags.ATIM | FstFlags.ATIM_NOW)).toBe(Errno.INVAL);
    expect(errno(FstFlags.MTIM | FstFlags.MTIM_NOW)).toBe(Errno.INVAL);
    expect(errno(FstFlags.ATIM | FstFlags.MTIM_NOW)).toBe(Errno.SUCCESS);
  });
});
