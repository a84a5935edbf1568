import {
  closeSync,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readdirSync,
  readlinkSync,
  statSync,
  constants,
  type BigIntStats,
} from "node:fs";
import type { InputStream as ByteSource } from "../io/streams.js";
import { WasiErrno, Errno } from "../wasi-p1/errno.js";
import { hostPathOf, resolveInTree, type TreeLocation } from "../wasi-p1/sandbox-path.js";
import { InputStream } from "./io.js";
import type * as Fs from "../../generated/wasi@0.2.12/interfaces/wasi-filesystem-types.js";

/**
 * wasi:filesystem 0.2, read-only: a component's `files` as a tree preopened at `/`. Paths resolve
 * with the same sandbox rules as Wisp's preview1 host (no `..` above the root, no absolute paths,
 * no symlink out); every call that would change the tree answers `read-only`.
 */

type ErrorCode = Fs.ErrorCode;

/** Errors as jco expects a host to throw them: the `error-code` enum's case name. */
function fail(code: ErrorCode): never {
  throw code;
}

/** The filesystem error-code of a sandbox refusal (0.2's enum case; 0.3's variant case has the same name). */
export const ERRNO_CODES: Readonly<Record<number, ErrorCode>> = {
  [Errno.NOENT]: "no-entry",
  [Errno.NOTDIR]: "not-directory",
  [Errno.ISDIR]: "is-directory",
  [Errno.LOOP]: "loop",
  [Errno.PERM]: "not-permitted",
  [Errno.ACCES]: "access",
  [Errno.NAMETOOLONG]: "name-too-long",
  [Errno.INVAL]: "invalid",
  [Errno.EXIST]: "exist",
  [Errno.ROFS]: "read-only",
  [Errno.XDEV]: "cross-device",
  [Errno.BADF]: "bad-descriptor",
};

/** The filesystem error-code of a node:fs failure, by its code (the same names in 0.2 and 0.3). */
export const NODE_CODES: Readonly<Record<string, ErrorCode>> = {
  ENOENT: "no-entry",
  ENOTDIR: "not-directory",
  EISDIR: "is-directory",
  ELOOP: "loop",
  EACCES: "access",
  EPERM: "not-permitted",
  ENAMETOOLONG: "name-too-long",
  EEXIST: "exist",
  ENOTEMPTY: "not-empty",
  EXDEV: "cross-device",
  EBUSY: "busy",
  EINVAL: "invalid",
  EFBIG: "file-too-large",
  EBADF: "bad-descriptor",
  ENOSPC: "insufficient-space",
  EDQUOT: "quota",
  EROFS: "read-only",
  EMLINK: "too-many-links",
  ETXTBSY: "text-file-busy",
};

/** Runs a host call, turning its failure into the interface's error code. */
function guard<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (typeof error === "string") throw error;
    if (error instanceof WasiErrno) fail(ERRNO_CODES[error.errno] ?? "io");
    fail(NODE_CODES[(error as NodeJS.ErrnoException).code ?? ""] ?? "io");
  }
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

/** A file read from the host at increasing offsets, as an input stream's source. */
class FileSource implements ByteSource {
  private ended = false;
  constructor(
    private readonly host: string,
    private offset: number,
  ) {}

  read(max: number): Uint8Array | null {
    if (this.ended) return null;
    const fd = openSync(this.host, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const buffer = new Uint8Array(Math.min(max, 1024 * 1024));
      const n = readSync(fd, buffer, 0, buffer.length, this.offset);
      if (n === 0) {
        this.ended = true;
        return null;
      }
      this.offset += n;
      return buffer.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }
  readNow(max: number): Uint8Array | null {
    return this.read(max);
  }
  ready(): boolean {
    return true;
  }
}

export class DirectoryEntryStream {
  private index = 0;
  constructor(private readonly entries: Fs.DirectoryEntry[]) {}
  readDirectoryEntry(): Fs.DirectoryEntry | undefined {
    return this.entries[this.index++];
  }
}

export class Descriptor {
  constructor(private readonly location: TreeLocation) {}

  private get host(): string {
    return hostPathOf(this.location);
  }

  private stats(): BigIntStats {
    return guard(() => lstatSync(this.host, { bigint: true }));
  }

  private resolve(pathFlags: { symlinkFollow?: boolean } | undefined, path: string): TreeLocation {
    return guard(() => resolveInTree(this.location, path, pathFlags?.symlinkFollow ?? false));
  }

  readViaStream(offset: bigint): InputStream {
    if (!this.stats().isFile()) fail("is-directory");
    return new InputStream(new FileSource(this.host, Number(offset)));
  }
  writeViaStream(_offset: bigint): never {
    return fail("read-only");
  }
  appendViaStream(): never {
    return fail("read-only");
  }
  advise(): void {}
  syncData(): void {}
  sync(): void {}
  getFlags(): Fs.DescriptorFlags {
    return { read: true };
  }
  getType(): Fs.DescriptorType {
    return typeOf(this.stats());
  }
  setSize(): never {
    return fail("read-only");
  }
  setTimes(): never {
    return fail("read-only");
  }
  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    return guard(() => {
      const fd = openSync(this.host, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        const size = fstatSync(fd).size;
        const buffer = new Uint8Array(Math.max(0, Math.min(Number(length), size - Number(offset))));
        const n = buffer.length > 0 ? readSync(fd, buffer, 0, buffer.length, Number(offset)) : 0;
        return [buffer.subarray(0, n), Number(offset) + n >= size] as [Uint8Array, boolean];
      } finally {
        closeSync(fd);
      }
    });
  }
  write(): never {
    return fail("read-only");
  }
  readDirectory(): DirectoryEntryStream {
    return guard(() => {
      const names = readdirSync(this.host).sort();
      return new DirectoryEntryStream(
        names.map((name) => ({ name, type: typeOf(lstatSync(`${this.host}/${name}`, { bigint: true })) })),
      );
    });
  }
  stat() {
    return descriptorStat(this.stats());
  }
  statAt(pathFlags: { symlinkFollow?: boolean }, path: string) {
    const host = hostPathOf(this.resolve(pathFlags, path));
    return guard(() => descriptorStat(lstatSync(host, { bigint: true })));
  }
  setTimesAt(): never {
    return fail("read-only");
  }
  linkAt(): never {
    return fail("read-only");
  }
  openAt(
    pathFlags: { symlinkFollow?: boolean },
    path: string,
    openFlags: { create?: boolean; directory?: boolean; truncate?: boolean; exclusive?: boolean },
    flags: { write?: boolean; mutateDirectory?: boolean },
  ): Descriptor {
    if (openFlags.create || openFlags.truncate || flags.write || flags.mutateDirectory) fail("read-only");
    const location = this.resolve(pathFlags, path);
    const stats = guard(() => lstatSync(hostPathOf(location), { bigint: true }));
    if (stats.isSymbolicLink()) fail("loop");
    if (openFlags.directory && !stats.isDirectory()) fail("not-directory");
    return new Descriptor(location);
  }
  readlinkAt(path: string): string {
    const host = hostPathOf(this.resolve({ symlinkFollow: false }, path));
    return guard(() => readlinkSync(host));
  }
  createDirectoryAt(): never {
    return fail("read-only");
  }
  removeDirectoryAt(): never {
    return fail("read-only");
  }
  renameAt(): never {
    return fail("read-only");
  }
  symlinkAt(): never {
    return fail("read-only");
  }
  unlinkFileAt(): never {
    return fail("read-only");
  }
  // wasi:filesystem 0.2.0-rc-2023-10-18 had these beside 0.2.0's (see releases/): on a read-only
  // tree, a path is accessible for reading if it is there; nothing changes; shared locks hold.
  accessAt(
    pathFlags: { symlinkFollow?: boolean },
    path: string,
    type: { tag: "access"; val: { writable?: boolean; executable?: boolean } } | { tag: "exists" },
  ): void {
    this.statAt(pathFlags, path);
    if (type.tag === "access" && (type.val.writable || type.val.executable)) fail("access");
  }
  changeFilePermissionsAt(): never {
    return fail("read-only");
  }
  changeDirectoryPermissionsAt(): never {
    return fail("read-only");
  }
  lockShared(): void {}
  tryLockShared(): void {}
  lockExclusive(): never {
    return fail("read-only");
  }
  tryLockExclusive(): never {
    return fail("read-only");
  }
  unlock(): void {}
  isSameObject(other: Descriptor): boolean {
    return this.host === other.host;
  }
  metadataHash() {
    const stats = this.stats();
    return { lower: stats.ino, upper: stats.mtimeNs };
  }
  metadataHashAt(pathFlags: { symlinkFollow?: boolean }, path: string) {
    const host = hostPathOf(this.resolve(pathFlags, path));
    const stats = guard(() => statSync(host, { bigint: true }));
    return { lower: stats.ino, upper: stats.mtimeNs };
  }
}

/** A host directory a guest sees at `guestPath`, read-only. */
export interface ReadOnlyPreopen {
  hostPath: string;
  guestPath: string;
}

/**
 * The preopened directories of one request: `filesRoot` (the staged `files`) at `/`, or the given
 * directories (`wisp run --dir`), or none.
 */
export function preopens(filesRoot: string | readonly ReadOnlyPreopen[] | undefined): Array<[Descriptor, string]> {
  if (filesRoot === undefined) return [];
  const directories = typeof filesRoot === "string" ? [{ hostPath: filesRoot, guestPath: "/" }] : filesRoot;
  return directories.map(({ hostPath, guestPath }) => [new Descriptor({ root: hostPath, segments: [] }), guestPath]);
}

/** The filesystem imports; `directories` gives the preopens of the request being served. */
export function filesystemImports(directories: () => Array<[Descriptor, string]>) {
  return {
    "wasi:filesystem/preopens": { getDirectories: directories },
    "wasi:filesystem/types": { Descriptor, DirectoryEntryStream, filesystemErrorCode: () => undefined },
  };
}
