import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Errno, WasiErrno } from "../../../../src/engine/wasi-p1/errno.js";
import { hostPathOf, resolveInTree } from "../../../../src/engine/wasi-p1/sandbox-path.js";

/** A tree with a file, a subfolder, and symlinks that stay inside or point out. */
function tree() {
  const outside = mkdtempSync(join(tmpdir(), "wisp-outside-"));
  writeFileSync(join(outside, "secret.txt"), "secret");
  const root = mkdtempSync(join(tmpdir(), "wisp-tree-"));
  mkdirSync(join(root, "sub"));
  writeFileSync(join(root, "sub", "file.txt"), "inside");
  symlinkSync("sub/file.txt", join(root, "inside-link"));
  symlinkSync(join(outside, "secret.txt"), join(root, "absolute-link"));
  symlinkSync("../" + outside.split("/").pop() + "/secret.txt", join(root, "climbing-link"));
  symlinkSync("loop-b", join(root, "loop-a"));
  symlinkSync("loop-a", join(root, "loop-b"));
  return { root, base: { root, segments: [] as string[] } };
}

function errnoOf(run: () => unknown): number | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof WasiErrno) return error.errno;
    throw error;
  }
}

describe("resolveInTree", () => {
  it("resolves plain, dotted and linked paths inside the tree", () => {
    const { root, base } = tree();
    expect(hostPathOf(resolveInTree(base, "sub/file.txt", true))).toBe(join(root, "sub/file.txt"));
    expect(hostPathOf(resolveInTree(base, "./sub/../sub/./file.txt", true))).toBe(join(root, "sub/file.txt"));
    expect(hostPathOf(resolveInTree(base, "inside-link", true))).toBe(join(root, "sub/file.txt"));
    // Not following the last link leaves the link itself.
    expect(hostPathOf(resolveInTree(base, "inside-link", false))).toBe(join(root, "inside-link"));
    // A missing last segment is allowed (the caller may create it).
    expect(hostPathOf(resolveInTree(base, "sub/new.txt", true))).toBe(join(root, "sub/new.txt"));
  });

  it("never leaves the tree: .., absolute paths and links pointing out are refused", () => {
    const { base } = tree();
    expect(errnoOf(() => resolveInTree(base, "..", true))).toBe(Errno.PERM);
    expect(errnoOf(() => resolveInTree(base, "sub/../../etc/passwd", true))).toBe(Errno.PERM);
    expect(errnoOf(() => resolveInTree(base, "/etc/passwd", true))).toBe(Errno.PERM);
    expect(errnoOf(() => resolveInTree(base, "absolute-link", true))).toBe(Errno.PERM);
    expect(errnoOf(() => resolveInTree(base, "climbing-link", true))).toBe(Errno.PERM);
    expect(errnoOf(() => resolveInTree(base, "loop-a", true))).toBe(Errno.LOOP);
  });

  it("checks that intermediate segments are directories", () => {
    const { base } = tree();
    expect(errnoOf(() => resolveInTree(base, "sub/file.txt/x", true))).toBe(Errno.NOTDIR);
    expect(errnoOf(() => resolveInTree(base, "missing/x", true))).toBe(Errno.NOENT);
    expect(errnoOf(() => resolveInTree(base, "sub/file.txt/", true))).toBe(Errno.NOTDIR);
  });

  it("keeps a path below a directory descriptor when given its depth as the floor", () => {
    const { root, base } = tree();
    const sub = { root, segments: ["sub"] };
    // Inside the tree, but above the descriptor: refused with the floor, allowed without.
    expect(errnoOf(() => resolveInTree(sub, "../inside-link", true, 1))).toBe(Errno.PERM);
    expect(hostPathOf(resolveInTree(sub, "../inside-link", false))).toBe(join(root, "inside-link"));
    expect(hostPathOf(resolveInTree(sub, "./file.txt", false, 1))).toBe(join(root, "sub/file.txt"));
    // A link below the descriptor that climbs above it is refused too.
    symlinkSync("../inside-link", join(root, "sub", "up-link"));
    expect(errnoOf(() => resolveInTree(sub, "up-link", true, 1))).toBe(Errno.PERM);
    expect(hostPathOf(resolveInTree(base, "sub/up-link", true))).toBe(join(root, "sub/file.txt"));
  });
});
