import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { RequestFilesystem, type Descriptor } from "../../../../src/engine/wasi-p2/filesystem.js";

const NONE = {};
const READ = { read: true };
const RW = { read: true, write: true };
const CREATE = { create: true, exclusive: true };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function rootOf(directory: string, writable: boolean): { dir: Descriptor; filesystem: RequestFilesystem } {
  const filesystem = new RequestFilesystem([{ hostPath: directory, guestPath: "/", writable }]);
  return { dir: filesystem.preopens()[0]![0], filesystem };
}

/** wasi:filesystem 0.2 over the sandbox 0.3 shares: writes where `wisp run --dir` grants them. */
describe("WASI 0.2 filesystem, writable tree (wisp run --dir)", () => {
  let root: string;
  let dir: Descriptor;
  let filesystem: RequestFilesystem;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "wisp-p2-fs-"));
    writeFileSync(join(root, "a.txt"), "test-a\n");
    ({ dir, filesystem } = rootOf(root, true));
  });

  it("creates, writes through write and through a stream, appends, reads back", () => {
    const c = dir.openAt(NONE, "c.txt", CREATE, RW);
    expect(c.write(new TextEncoder().encode("hello"), 0n)).toBe(5n);
    const stream = c.writeViaStream(5n);
    stream.blockingWriteAndFlush(new TextEncoder().encode(" world"));
    c.appendViaStream().blockingWriteAndFlush(new TextEncoder().encode("!"));
    expect(text(c.read(100n, 0n)[0])).toBe("hello world!");
    expect(text(c.readViaStream(6n).blockingRead(100n))).toBe("world!");
    c.setSize(5n);
    expect(readFileSync(join(root, "c.txt"), "utf8")).toBe("hello");
    expect(() => c.read(1n, 2n ** 62n)).toThrow("invalid");
  });

  it("opens as wasmtime does, and refuses data calls the descriptor was not opened for", () => {
    expect(dir.getFlags()).toEqual({ read: true, mutateDirectory: true });
    expect(dir.openAt(NONE, "n", CREATE, NONE).getFlags()).toMatchObject({ read: true, write: true });
    const readOnly = dir.openAt(NONE, "a.txt", NONE, READ);
    expect(() => readOnly.write(new Uint8Array(1), 0n)).toThrow("bad-descriptor");
    expect(() => readOnly.writeViaStream(0n)).toThrow("bad-descriptor");
    expect(() => dir.openAt(NONE, "a.txt", CREATE, READ)).toThrow("exist");
    expect(() => dir.openAt(NONE, "../x", CREATE, RW)).toThrow("not-permitted");
  });

  it("makes, renames, links and removes inside the tree, never outside", () => {
    dir.createDirectoryAt("d");
    dir.linkAt(NONE, "a.txt", dir, "d/b.txt");
    dir.renameAt("d/b.txt", dir, "moved.txt");
    dir.symlinkAt("a.txt", "l");
    expect(dir.readlinkAt("l")).toBe("a.txt");
    dir.unlinkFileAt("l");
    dir.removeDirectoryAt("d");
    expect(readdirSync(root).sort()).toEqual(["a.txt", "moved.txt"]);
    expect(() => dir.renameAt("a.txt", dir, "../out.txt")).toThrow("not-permitted");
    expect(() => dir.symlinkAt("/etc/passwd", "p")).toThrow("not-permitted");
    expect(() => dir.removeDirectoryAt(".")).toThrow("invalid");
  });

  it("closes the files a request left open when it ends", () => {
    const a = dir.openAt(NONE, "a.txt", NONE, READ);
    filesystem.close();
    expect(() => a.stat()).toThrow("bad-descriptor");
  });
});

describe("WASI 0.2 filesystem, read-only tree (a served component's files)", () => {
  it("reads, and answers read-only to whatever would change it", () => {
    const root = mkdtempSync(join(tmpdir(), "wisp-p2-ro-"));
    writeFileSync(join(root, "a.txt"), "served");
    const { dir } = rootOf(root, false);
    expect(dir.getFlags()).toEqual({ read: true });
    expect(text(dir.openAt(NONE, "a.txt", NONE, NONE).read(100n, 0n)[0])).toBe("served");
    for (const change of [
      () => dir.openAt(NONE, "new", CREATE, NONE),
      () => dir.openAt(NONE, "a.txt", NONE, RW),
      () => dir.createDirectoryAt("d"),
      () => dir.unlinkFileAt("a.txt"),
      () => dir.renameAt("a.txt", dir, "b"),
      () => dir.lockExclusive(),
    ])
      expect(change).toThrow("read-only");
    expect(readdirSync(root)).toEqual(["a.txt"]);
  });
});
