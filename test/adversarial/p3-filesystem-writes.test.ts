import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { Descriptor } from "../../src/engine/wasi-p3/descriptor.js";
import { OpenFiles } from "../../src/engine/wasi-p2/open-files.js";
import { guestStream, readAll } from "../support/p3-file-streams.js";

const NONE = {};
const RW = { read: true, write: true };
const CREATE = { create: true };
const FOLLOW = { symlinkFollow: true };
const NOT_PERMITTED = { tag: "not-permitted" };

/**
 * A WASI 0.3 guest granted a writable directory (`wisp run --dir`) that tries to write outside it:
 * through `..`, absolute paths, links it makes and links planted on the host, and descriptors it
 * dropped. Nothing outside the tree changes, each attempt gets its error code, and the host goes on.
 */
describe("WASI 0.3's writable filesystem against a guest writing its way out", () => {
  let outside: string;
  let root: string;
  let files: OpenFiles;
  let dir: Descriptor;
  beforeEach(() => {
    outside = mkdtempSync(join(tmpdir(), "wisp-p3-outside-"));
    writeFileSync(join(outside, "secret.txt"), "host's");
    root = join(outside, "granted");
    mkdirSync(root);
    writeFileSync(join(root, "a.txt"), "guest's");
    // Planted by the host (or an earlier tenant): links out, absolute and relative.
    symlinkSync(join(outside, "secret.txt"), join(root, "absolute-out"));
    symlinkSync("../secret.txt", join(root, "relative-out"));
    files = new OpenFiles();
    dir = Descriptor.preopen(root, true, files);
  });

  const untouched = () => {
    expect(readdirSync(outside).sort()).toEqual(["granted", "secret.txt"]);
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("host's");
  };

  it("refuses `..` and absolute paths for every call that changes the tree", async () => {
    for (const attempt of [
      () => dir.openAt(NONE, "../new.txt", CREATE, RW),
      () => dir.openAt(NONE, "../secret.txt", NONE, RW),
      () => dir.openAt(NONE, "/tmp/new.txt", CREATE, RW),
      () => dir.createDirectoryAt("../d"),
      () => dir.unlinkFileAt("../secret.txt"),
      () => dir.renameAt("a.txt", dir, "../moved.txt"),
      () => dir.renameAt("../secret.txt", dir, "stolen.txt"),
      () => dir.linkAt(NONE, "../secret.txt", dir, "hard.txt"),
      () => dir.linkAt(NONE, "a.txt", dir, "../hard.txt"),
      () => dir.symlinkAt("/etc/passwd", "l"),
      () => dir.setTimesAt(NONE, "../secret.txt", { tag: "now" }, { tag: "now" }),
      () => dir.removeDirectoryAt(".."),
    ])
      await expect(attempt()).rejects.toEqual(NOT_PERMITTED);
    untouched();
  });

  it("never follows a link out, whether planted or made by the guest", async () => {
    await dir.symlinkAt("../secret.txt", "made-out");
    for (const link of ["absolute-out", "relative-out", "made-out"]) {
      await expect(dir.openAt(FOLLOW, link, NONE, RW)).rejects.toEqual(NOT_PERMITTED);
      await expect(dir.openAt(FOLLOW, link, { truncate: true }, RW)).rejects.toEqual(NOT_PERMITTED);
      // Unfollowed, the last segment's link is never opened (wasmtime: loop).
      await expect(dir.openAt(NONE, link, CREATE, RW)).rejects.toEqual({ tag: "loop" });
      await expect(dir.linkAt(FOLLOW, link, dir, "hard.txt")).rejects.toEqual(NOT_PERMITTED);
      await expect(dir.setTimesAt(FOLLOW, link, { tag: "now" }, { tag: "now" })).rejects.toEqual(NOT_PERMITTED);
      await expect(dir.openAt(NONE, `${link}/x`, CREATE, RW)).rejects.toEqual(NOT_PERMITTED);
    }
    // Renaming or removing a link moves the link, never what it points at.
    await dir.renameAt("relative-out", dir, "renamed");
    await dir.unlinkFileAt("absolute-out");
    untouched();
  });

  it("a descriptor used after it was dropped reaches nothing, not the file that took its fd", async () => {
    const first = await dir.openAt(NONE, "a.txt", NONE, RW);
    first[Symbol.dispose]();
    const second = await dir.openAt(NONE, "b.txt", CREATE, RW);
    expect(await first.writeViaStream(guestStream("overwritten"), 0n)).toEqual({
      tag: "err",
      val: { tag: "bad-descriptor" },
    });
    await expect(first.setSize(0n)).rejects.toEqual({ tag: "bad-descriptor" });
    expect((await readAll(second)).text).toBe("");
    expect(readFileSync(join(root, "a.txt"), "utf8")).toBe("guest's");
  });

  it("a guest stream that fails mid-write ends the future with an error, and the host goes on", async () => {
    const a = await dir.openAt(NONE, "a.txt", NONE, RW);
    let reads = 0;
    const failing = {
      read: () =>
        ++reads === 1
          ? Promise.resolve({ done: false, value: new TextEncoder().encode("part") })
          : Promise.reject(new Error("guest trapped")),
    };
    const result = (await a.writeViaStream(failing, 0n)) as { tag: string };
    expect(result.tag).toBe("err");
    expect((await readAll(a)).text).toBe("partt's");
    expect(await a.writeViaStream(guestStream("offset"), 2n ** 62n)).toEqual({ tag: "err", val: { tag: "invalid" } });
    await expect(a.setSize(2n ** 63n)).rejects.toEqual({ tag: "file-too-large" });
  });
});
