import { describe, expect, it } from "vitest";
import { Rights, WRITE_RIGHTS } from "../../../../src/engine/wasi-p1/constants.js";
import type { Descriptor } from "../../../../src/engine/wasi-p1/descriptors.js";
import { rightsOf } from "../../../../src/engine/wasi-p1/rights.js";

const location = { root: "/nowhere", segments: [] };
const dir = (writable: boolean, preopenName?: string): Descriptor => ({
  kind: "dir",
  location,
  writable,
  ...(preopenName ? { preopenName } : {}),
});

describe("rightsOf", () => {
  it("gives a read-only tree's directories no right that changes data", () => {
    for (const descriptor of [dir(false, "/"), dir(false)]) {
      const [base, inheriting] = rightsOf(descriptor);
      expect(base & WRITE_RIGHTS).toBe(0n);
      expect(inheriting & WRITE_RIGHTS).toBe(0n);
      expect(base & Rights.PATH_OPEN).not.toBe(0n);
    }
    const [base, inheriting] = rightsOf(dir(true, "/"));
    expect(base & Rights.PATH_CREATE_FILE).not.toBe(0n);
    expect(inheriting & Rights.FD_WRITE).not.toBe(0n);
  });

  it("never gives a directory fd_write, so a guest passing its rights back to path_open gets a directory", () => {
    for (const descriptor of [dir(true, "/"), dir(true)]) expect(rightsOf(descriptor)[0] & Rights.FD_WRITE).toBe(0n);
    expect(rightsOf(dir(true))[0] & (Rights.FD_SEEK | Rights.FD_FILESTAT_SET_SIZE)).toBe(0n);
  });

  it("gives a file fd_read and the write rights only as it was opened", () => {
    const file = (readable: boolean, writable: boolean): Descriptor => ({
      kind: "file",
      hostFd: -1,
      location,
      readable,
      writable,
      treeWritable: true,
      append: false,
      syncFlags: 0,
      position: 0,
    });
    expect(rightsOf(file(true, false))[0] & (Rights.FD_READ | WRITE_RIGHTS)).toBe(Rights.FD_READ);
    expect(rightsOf(file(false, true))[0] & (Rights.FD_READ | Rights.FD_WRITE)).toBe(Rights.FD_WRITE);
  });
});
