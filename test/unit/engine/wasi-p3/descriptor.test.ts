import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { Descriptor } from "../../../../src/engine/wasi-p3/descriptor.js";
import { OpenFiles } from "../../../../src/engine/wasi-p2/open-files.js";
import { guestStream, readAll } from "../../../support/p3-file-streams.js";

const OK = { tag: "ok", val: undefined };
const err = (tag: string) => ({ tag: "err", val: { tag } });
const NONE = {};
const READ = { read: true };
const WRITE = { write: true };
const CREATE = { create: true, exclusive: true };

/** wasi:filesystem 0.3 over a writable tree, as `wisp run --dir` grants it (wasmtime's semantics). */
describe("WASI 0.3 descriptor, writable tree", () => {
  let root: string;
  let files: OpenFiles;
  let dir: Descriptor;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "wisp-p3-fs-"));
    writeFileSync(join(root, "a.txt"), "test-a\n");
    files = new OpenFiles();
    dir = Descriptor.preopen(root, true, files);
  });

  it("writes, reads back at offsets, appends and sets the size", async () => {
    const c = await dir.openAt(NONE, "c.txt", CREATE, { read: true, write: true });
    expect(await c.writeViaStream(guestStream("hello", "!"), 0n)).toEqual(OK);
    expect(await readAll(c)).toEqual({ text: "hello!", result: OK });
    expect(await c.writeViaStream(guestStream("byeee"), 0n)).toEqual(OK);
    expect((await readAll(c, 1n)).text).toBe("yeee!");
    expect(await c.appendViaStream(guestStream(" laters", "!!"))).toEqual(OK);
    expect(readFileSync(join(root, "c.txt"), "utf8")).toBe("byeee! laters!!");
    await c.setSize(3n);
    expect((await c.stat()).size).toBe(3n);
    expect(await readAll(c, 1n << 60n)).toEqual({ text: "", result: err("invalid") });
    await expect(c.setSize(2n ** 64n - 1n)).rejects.toEqual({ tag: "file-too-large" });
  });

  it("opens as wasmtime does: CREATE implies WRITE, no access asked means READ, WRITE alone is write-only", async () => {
    expect(await dir.getFlags()).toEqual({ read: true, mutateDirectory: true });
    expect(await (await dir.openAt(NONE, "n1", CREATE, NONE)).getFlags()).toMatchObject({ read: true, write: true });
    expect(await (await dir.openAt(NONE, "n2", CREATE, WRITE)).getFlags()).toMatchObject({ read: false, write: true });
    expect(await (await dir.openAt(NONE, "a.txt", NONE, NONE)).getFlags()).toMatchObject({ read: true, write: false });
    const writeOnly = await dir.openAt(NONE, "a.txt", NONE, WRITE);
    expect(await readAll(writeOnly)).toEqual({ text: "", result: err("bad-descriptor") });
    const readOnly = await dir.openAt(NONE, "a.txt", NONE, READ);
    expect(await readOnly.writeViaStream(guestStream("x"), 0n)).toEqual(err("bad-descriptor"));
    await expect(readOnly.setSize(0n)).rejects.toEqual({ tag: "bad-descriptor" });
    await expect(dir.openAt(NONE, "a.txt", CREATE, READ)).rejects.toEqual({ tag: "exist" });
    await expect(dir.openAt(NONE, "missing", NONE, READ)).rejects.toEqual({ tag: "no-entry" });
    await expect(dir.openAt(NONE, ".", NONE, WRITE)).rejects.toEqual({ tag: "is-directory" });
    await expect(dir.openAt(NONE, "a.txt", { directory: true }, READ)).rejects.toEqual({ tag: "not-directory" });
    const truncated = await dir.openAt(NONE, "a.txt", { truncate: true }, READ);
    expect((await truncated.stat()).size).toBe(0n);
  });

  it("makes, renames, links and removes, with the error codes the upstream 0.3 suite expects", async () => {
    await dir.createDirectoryAt("d");
    await expect(dir.createDirectoryAt("d")).rejects.toEqual({ tag: "exist" });
    await dir.linkAt(NONE, "a.txt", dir, "d/linked.txt");
    await expect(dir.linkAt(NONE, "a.txt", dir, "a.txt")).rejects.toEqual({ tag: "exist" });
    await dir.renameAt("d/linked.txt", dir, "moved.txt");
    await dir.symlinkAt("a.txt", "link");
    expect(await dir.readlinkAt("link")).toBe("a.txt");
    expect(readFileSync(join(root, "moved.txt"), "utf8")).toBe("test-a\n");
    await expect(dir.removeDirectoryAt(".")).rejects.toEqual({ tag: "invalid" });
    await expect(dir.removeDirectoryAt("a.txt")).rejects.toEqual({ tag: "not-directory" });
    await expect(dir.unlinkFileAt("d")).rejects.toEqual({ tag: "is-directory" });
    await dir.removeDirectoryAt("d");
    await dir.unlinkFileAt("moved.txt");
    await dir.unlinkFileAt("link");
    expect(readdirSync(root).sort()).toEqual(["a.txt"]);
    await dir.createDirectoryAt("full");
    writeFileSync(join(root, "full", "x"), "");
    await expect(dir.removeDirectoryAt("full")).rejects.toEqual({ tag: "not-empty" });
  });

  it("sets times to what the guest asked, to the microsecond, and leaves the other alone on no-change", async () => {
    await dir.setTimesAt(
      NONE,
      "a.txt",
      { tag: "timestamp", val: { seconds: 42n, nanoseconds: 0 } },
      { tag: "timestamp", val: { seconds: 69n, nanoseconds: 500_000_000 } },
    );
    const a = await dir.openAt(NONE, "a.txt", NONE, READ);
    expect(await a.stat()).toMatchObject({
      dataAccessTimestamp: { seconds: 42n, nanoseconds: 0 },
      dataModificationTimestamp: { seconds: 69n, nanoseconds: 500_000_000 },
    });
    await a.setTimes({ tag: "no-change" }, { tag: "timestamp", val: { seconds: 7n, nanoseconds: 0 } });
    expect(await a.stat()).toMatchObject({
      dataAccessTimestamp: { seconds: 42n },
      dataModificationTimestamp: { seconds: 7n },
    });
  });

  it("keeps a file usable through its descriptor once unlinked, and tells hard links apart from copies", async () => {
    const c = await dir.openAt(NONE, "c.txt", CREATE, { read: true, write: true });
    await dir.linkAt(NONE, "c.txt", dir, "c2.txt");
    const c2 = await dir.openAt(NONE, "c2.txt", NONE, READ);
    const a = await dir.openAt(NONE, "a.txt", NONE, READ);
    expect(await c.isSameObject(c2)).toBe(true);
    expect(await c.isSameObject(a)).toBe(false);
    expect(await c.metadataHash()).toEqual(await c2.metadataHash());
    await dir.unlinkFileAt("c.txt");
    await dir.unlinkFileAt("c2.txt");
    await c.setSize(42n);
    expect((await c2.stat()).size).toBe(42n);
  });

  it("a child directory is a capability of its own: `..` above it is not-permitted", async () => {
    await dir.createDirectoryAt("child");
    const child = await dir.openAt(NONE, "child", { directory: true }, { mutateDirectory: true });
    expect(await child.getFlags()).toEqual({ read: true, mutateDirectory: true });
    await expect(child.openAt(NONE, "../a.txt", NONE, READ)).rejects.toEqual({ tag: "not-permitted" });
    await dir.renameAt("a.txt", child, "a.txt");
    await child.renameAt("a.txt", dir, "back.txt");
    expect(existsSync(join(root, "back.txt"))).toBe(true);
    // Opened without mutate-directory, a directory reads but changes nothing.
    const reader = await dir.openAt(NONE, "child", { directory: true }, READ);
    await expect(reader.createDirectoryAt("x")).rejects.toEqual({ tag: "not-permitted" });
    await expect(reader.openAt(NONE, "new", CREATE, NONE)).rejects.toEqual({ tag: "not-permitted" });
  });

  it("ends a stream's future ok when the guest drops the stream early (it hung before)", async () => {
    writeFileSync(join(root, "big"), Buffer.alloc(300_000, 1));
    const big = await dir.openAt(NONE, "big", NONE, READ);
    const [bytes, result] = big.readViaStream(0n);
    const iterator = (bytes as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    await iterator.return?.();
    expect(await result).toEqual(OK);
    const [entries, listed] = dir.readDirectory();
    await (entries as AsyncIterable<unknown>)[Symbol.asyncIterator]().return?.();
    expect(await listed).toEqual(OK);
  });

  it("closes a file once dropped, and what the guest never dropped when the run ends", async () => {
    const a = await dir.openAt(NONE, "a.txt", NONE, READ);
    a[Symbol.dispose]();
    await expect(a.stat()).rejects.toEqual({ tag: "bad-descriptor" });
    const b = await dir.openAt(NONE, "a.txt", NONE, READ);
    files.closeAll();
    expect(await readAll(b)).toEqual({ text: "", result: err("bad-descriptor") });
  });
});

describe("WASI 0.3 descriptor, read-only tree (a served component's files)", () => {
  it("reads, and answers read-only to whatever would change the tree", async () => {
    const root = mkdtempSync(join(tmpdir(), "wisp-p3-ro-"));
    writeFileSync(join(root, "a.txt"), "served");
    const dir = Descriptor.preopen(root, false, new OpenFiles());
    expect(await dir.getFlags()).toEqual({ read: true });
    expect((await readAll(await dir.openAt(NONE, "a.txt", NONE, NONE))).text).toBe("served");
    for (const change of [
      () => dir.openAt(NONE, "new", CREATE, NONE),
      () => dir.openAt(NONE, "a.txt", NONE, WRITE),
      () => dir.openAt(NONE, "a.txt", { truncate: true }, NONE),
      () => dir.createDirectoryAt("d"),
      () => dir.unlinkFileAt("a.txt"),
      () => dir.renameAt("a.txt", dir, "b.txt"),
      () => dir.symlinkAt("a.txt", "l"),
      () => dir.linkAt(NONE, "a.txt", dir, "l"),
      () => dir.setTimesAt(NONE, "a.txt", { tag: "now" }, { tag: "now" }),
    ])
      await expect(change()).rejects.toEqual({ tag: "read-only" });
    expect(readdirSync(root)).toEqual(["a.txt"]);
    expect(readFileSync(join(root, "a.txt"), "utf8")).toBe("served");
  });
});
