import {
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  readSync,
  readdirSync,
  statSync,
  writeSync,
  type BigIntStats,
} from "node:fs";
import type { InputStream as ByteSource, OutputStream as ByteSink } from "../io/streams.js";
import type { Preopen } from "../wasi-p1/wasi-context.js";
import { InputStream, OutputStream } from "./io.js";
import { OpenFiles, type OpenFile } from "./open-files.js";
import {
  TreeDescriptor,
  codeOf,
  hashOf,
  type DescriptorFlags,
  type NewTimestamp,
  type OpenFlags,
  type PathFlags,
} from "./tree-descriptor.js";
import type * as Fs from "../../generated/wasi@0.2.12/interfaces/wasi-filesystem-types.js";

/**
 * wasi:filesystem 0.2: the directories granted to a request, over the sandbox 0.3 shares
 * (tree-descriptor.ts): a served component's `files` at `/`, read-only; `wisp run --dir`'s,
 * read-write, as wasmtime's. Calls are synchronous (the guest's thread waits for the disk);
 * failures are thrown as jco expects a host to throw them: the `error-code` enum's case name.
 */

type ErrorCode = Fs.ErrorCode;

export { ERRNO_CODES, NODE_CODES } from "./fs-errors.js";

/** Runs a host call, turning its failure into the interface's error code. */
function guard<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw codeOf(error);
  }
}

function fail(code: ErrorCode): never {
  throw code;
}

/** What a stat or a directory entry says of a file's kind. */
export type FileKind = Pick<
  BigIntStats,
  "isFile" | "isDirectory" | "isSymbolicLink" | "isCharacterDevice" | "isBlockDevice" | "isFIFO" | "isSocket"
>;

/** A file's kind as 0.2's descriptor-type names it (0.3's variant has the same case names, and `other` for `unknown`). */
export function typeOf(stats: FileKind): Fs.DescriptorType {
  if (stats.isFile()) return "regular-file";
  if (stats.isDirectory()) return "directory";
  if (stats.isSymbolicLink()) return "symbolic-link";
  if (stats.isCharacterDevice()) return "character-device";
  if (stats.isBlockDevice()) return "block-device";
  if (stats.isFIFO()) return "fifo";
  if (stats.isSocket()) return "socket";
  return "unknown";
}

function datetime(ns: bigint) {
  return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
}

/** A stat as 0.2's descriptor-stat (0.3's is the same record but for its variant type). */
export function descriptorStat(stats: BigIntStats): Fs.DescriptorStat {
  return {
    type: typeOf(stats),
    linkCount: stats.nlink,
    size: stats.size,
    dataAccessTimestamp: datetime(stats.atimeNs),
    dataModificationTimestamp: datetime(stats.mtimeNs),
    statusChangeTimestamp: datetime(stats.ctimeNs),
  };
}

/** An open file read at increasing offsets, as an input stream's source. */
class FileSource implements ByteSource {
  private ended = false;
  constructor(
    private readonly file: OpenFile,
    private offset: number,
  ) {}

  read(max: number): Uint8Array | null {
    if (this.ended) return null;
    const buffer = new Uint8Array(Math.min(max, 1024 * 1024));
    const n = this.file.useNow((fd) => readSync(fd, buffer, 0, buffer.length, this.offset));
    if (n === 0) {
      this.ended = true;
      return null;
    }
    this.offset += n;
    return buffer.subarray(0, n);
  }
  readNow(max: number): Uint8Array | null {
    return this.read(max);
  }
  ready(): boolean {
    return true;
  }
}

/** An open file written from an offset on, or each write at its end as it is then (`append`). */
class FileSink implements ByteSink {
  constructor(
    private readonly file: OpenFile,
    private offset: number | "append",
  ) {}

  write(bytes: Uint8Array): void {
    this.file.useNow((fd) => {
      let position = this.offset === "append" ? Number(fstatSync(fd).size) : this.offset;
      for (let written = 0; written < bytes.length;) {
        const n = writeSync(fd, bytes, written, bytes.length - written, position);
        written += n;
        position += n;
      }
      if (this.offset !== "append") this.offset = position;
    });
  }
  capacity(): number {
    return 1024 * 1024;
  }
  close(): void {}
}

export class DirectoryEntryStream {
  private index = 0;
  constructor(private readonly entries: Fs.DirectoryEntry[]) {}
  readDirectoryEntry(): Fs.DirectoryEntry | undefined {
    return this.entries[this.index++];
  }
}

/** A 0.2 descriptor: the shared sandbox's, its failures thrown as 0.2's error-code. */
export class Descriptor {
  constructor(readonly tree: TreeDescriptor) {}

  private offset(offset: bigint): number {
    return offset > BigInt(Number.MAX_SAFE_INTEGER) ? fail("invalid") : Number(offset);
  }

  readViaStream(offset: bigint): InputStream {
    return guard(() => new InputStream(new FileSource(this.tree.file("read"), this.offset(offset))));
  }
  writeViaStream(offset: bigint): OutputStream {
    return guard(() => new OutputStream(new FileSink(this.tree.file("write"), this.offset(offset))));
  }
  appendViaStream(): OutputStream {
    return guard(() => new OutputStream(new FileSink(this.tree.file("write"), "append")));
  }
  /** Advice is a hint: taken and ignored. */
  advise(): void {}
  syncData(): void {
    guard(() => (this.tree.isFile ? this.tree.file("read").useNow(fdatasyncSync) : undefined));
  }
  sync(): void {
    guard(() => (this.tree.isFile ? this.tree.file("read").useNow(fsyncSync) : undefined));
  }
  getFlags(): Fs.DescriptorFlags {
    return { ...this.tree.flags };
  }
  getType(): Fs.DescriptorType {
    return guard(() => typeOf(this.tree.stats()));
  }
  setSize(size: bigint): void {
    guard(() => this.tree.setSize(size));
  }
  setTimes(atime: NewTimestamp, mtime: NewTimestamp): void {
    guard(() => this.tree.setTimes(atime, mtime));
  }
  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    return guard(() => {
      const file = this.tree.file("read");
      const at = this.offset(offset);
      return file.useNow((fd): [Uint8Array, boolean] => {
        const size = fstatSync(fd).size;
        const buffer = new Uint8Array(Math.max(0, Math.min(Number(length), size - at)));
        const n = buffer.length > 0 ? readSync(fd, buffer, 0, buffer.length, at) : 0;
        return [buffer.subarray(0, n), at + n >= size];
      });
    });
  }
  write(buffer: Uint8Array, offset: bigint): bigint {
    return guard(() => {
      const file = this.tree.file("write");
      const at = this.offset(offset);
      return BigInt(file.useNow((fd) => writeSync(fd, buffer, 0, buffer.length, at)));
    });
  }
  readDirectory(): DirectoryEntryStream {
    return guard(() => {
      const host = this.tree.target(".").host;
      const names = readdirSync(host).sort();
      return new DirectoryEntryStream(
        names.map((name) => ({ name, type: typeOf(lstatSync(`${host}/${name}`, { bigint: true })) })),
      );
    });
  }
  stat(): Fs.DescriptorStat {
    return guard(() => descriptorStat(this.tree.stats()));
  }
  statAt(pathFlags: PathFlags, path: string): Fs.DescriptorStat {
    return guard(() =>
      descriptorStat(lstatSync(this.tree.target(path, pathFlags.symlinkFollow).host, { bigint: true })),
    );
  }
  setTimesAt(pathFlags: PathFlags, path: string, atime: NewTimestamp, mtime: NewTimestamp): void {
    guard(() => this.tree.setTimesAt(pathFlags, path, atime, mtime));
  }
  linkAt(oldPathFlags: PathFlags, oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    guard(() => this.tree.link(oldPathFlags, oldPath, newDescriptor.tree, newPath));
  }
  openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags): Descriptor {
    return guard(() => new Descriptor(this.tree.open(pathFlags, path, openFlags, flags)));
  }
  readlinkAt(path: string): string {
    return guard(() => this.tree.readlink(path));
  }
  createDirectoryAt(path: string): void {
    guard(() => this.tree.createDirectory(path));
  }
  removeDirectoryAt(path: string): void {
    guard(() => this.tree.removeDirectory(path));
  }
  renameAt(oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    guard(() => this.tree.rename(oldPath, newDescriptor.tree, newPath));
  }
  symlinkAt(oldPath: string, newPath: string): void {
    guard(() => this.tree.symlink(oldPath, newPath));
  }
  unlinkFileAt(path: string): void {
    guard(() => this.tree.unlink(path));
  }
  // wasi:filesystem 0.2.0-rc-2023-10-18 had these beside 0.2.0's (see releases/): a path is
  // accessible for reading if it is there, and for writing if its tree is; permissions do not
  // change; locks are advisory and this host keeps none (an exclusive one, for writing, only
  // on a writable tree).
  accessAt(
    pathFlags: PathFlags,
    path: string,
    type: { tag: "access"; val: { writable?: boolean; executable?: boolean } } | { tag: "exists" },
  ): void {
    this.statAt(pathFlags, path);
    if (type.tag === "access" && (type.val.executable || (type.val.writable && !this.tree.flags.mutateDirectory)))
      fail("access");
  }
  changeFilePermissionsAt(): never {
    return fail(this.tree.writable ? "not-permitted" : "read-only");
  }
  changeDirectoryPermissionsAt(): never {
    return fail(this.tree.writable ? "not-permitted" : "read-only");
  }
  lockShared(): void {}
  tryLockShared(): void {}
  lockExclusive(): void {
    if (!this.tree.writable) fail("read-only");
  }
  tryLockExclusive(): void {
    this.lockExclusive();
  }
  unlock(): void {}
  isSameObject(other: Descriptor): boolean {
    return guard(() => this.tree.isSameObject(other.tree));
  }
  metadataHash(): Fs.MetadataHashValue {
    return guard(() => hashOf(this.tree.stats()));
  }
  metadataHashAt(pathFlags: PathFlags, path: string): Fs.MetadataHashValue {
    return guard(() => hashOf(statSync(this.tree.target(path, pathFlags.symlinkFollow).host, { bigint: true })));
  }
  /** The guest dropped it: its file closes. */
  [Symbol.dispose](): void {
    this.tree.dispose();
  }
}

/** A host directory a guest sees at `guestPath`: read-only (a served component's files) or not (`wisp run --dir`). */
export type GrantedDirectory = Pick<Preopen, "hostPath" | "guestPath"> & { writable?: boolean };

/** One request's filesystem: its preopens, made on first use, and the files it opened, closed when it ends. */
export class RequestFilesystem {
  private readonly files = new OpenFiles();
  private opened: Array<[Descriptor, string]> | undefined;

  constructor(private readonly directories: readonly GrantedDirectory[]) {}

  preopens(): Array<[Descriptor, string]> {
    return (this.opened ??= this.directories.map(({ hostPath, guestPath, writable = false }) => [
      new Descriptor(TreeDescriptor.preopen(hostPath, writable, this.files)),
      guestPath,
    ]));
  }

  close(): void {
    this.files.closeAll();
  }
}

/**
 * The directories a component's requests see: `filesRoot` (its staged `files`) at `/`, read-only,
 * or the given directories (`wisp run --dir`), or none.
 */
export function grantedDirectories(filesRoot: string | readonly GrantedDirectory[] | undefined): GrantedDirectory[] {
  if (filesRoot === undefined) return [];
  return typeof filesRoot === "string" ? [{ hostPath: filesRoot, guestPath: "/", writable: false }] : [...filesRoot];
}

/** The filesystem imports; `filesystem` gives the filesystem of the request being served. */
export function filesystemImports(filesystem: () => RequestFilesystem) {
  return {
    "wasi:filesystem/preopens": { getDirectories: () => filesystem().preopens() },
    "wasi:filesystem/types": { Descriptor, DirectoryEntryStream, filesystemErrorCode: () => undefined },
  };
}
