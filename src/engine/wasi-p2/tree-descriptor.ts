import {
  constants,
  fstatSync,
  ftruncateSync,
  futimesSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  type BigIntStats,
} from "node:fs";
import { WasiErrno } from "../wasi-p1/errno.js";
import { hostPathOf, resolveInTree, type TreeLocation } from "../wasi-p1/sandbox-path.js";
import { ERRNO_CODES, NODE_CODES } from "./fs-errors.js";
import type { OpenFile, OpenFiles } from "./open-files.js";
import type * as Fs from "../../generated/wasi@0.2.12/interfaces/wasi-filesystem-types.js";

/** A filesystem error-code's name: 0.2's enum case, and 0.3's variant case of the same name. */
export type FsCode = Fs.ErrorCode;

/** A refusal of the sandbox's own, by its error-code name. */
export class FsRefusal extends Error {
  constructor(readonly code: FsCode) {
    super(code);
  }
}

const refuse = (code: FsCode): never => {
  throw new FsRefusal(code);
};

/** A host call's failure as the interface's error-code name (a node:fs error unknown here is `io`). */
export function codeOf(failure: unknown): FsCode {
  if (failure instanceof FsRefusal) return failure.code;
  if (failure instanceof WasiErrno) return ERRNO_CODES[failure.errno] ?? "io";
  const code = (failure as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string") return NODE_CODES[code] ?? "io";
  throw failure;
}

/** The flags of 0.2 and 0.3 (the same records). */
export type DescriptorFlags = Fs.DescriptorFlags;
export type OpenFlags = Fs.OpenFlags;
export interface PathFlags {
  symlinkFollow?: boolean;
}
/** A time to set: 0.2's and 0.3's new-timestamp (0.3's instant has the same fields as 0.2's datetime). */
export type NewTimestamp =
  { tag: "no-change" } | { tag: "now" } | { tag: "timestamp"; val: { seconds: bigint; nanoseconds: number } };

/** A new time in seconds, as node:fs sets it (to the microsecond); `currentNs` for `no-change`. */
function secondsOf(stamp: NewTimestamp, currentNs: bigint): number {
  if (stamp.tag === "now") return Date.now() / 1000;
  if (stamp.tag === "no-change") return Number(currentNs / 1000n) / 1e6;
  return Number(stamp.val.seconds) + stamp.val.nanoseconds / 1e9;
}

/** Where a path leads inside the tree, and how the guest spelled it (a trailing `/` matters). */
interface Target {
  location: TreeLocation;
  host: string;
  path: string;
}

function lstatOrUndefined(host: string) {
  try {
    return lstatSync(host);
  } catch {
    return undefined;
  }
}

/** What a descriptor names: a directory (by its place in the tree) or a host file it holds open. */
type Node = { kind: "directory" } | { kind: "file"; file: OpenFile };

/**
 * The host side of a wasi:filesystem descriptor, 0.2's and 0.3's alike (each adapts it to its
 * ABI: error codes thrown as 0.2's enum or 0.3's variant, data as 0.2's streams or 0.3's), inside
 * a tree granted to the run. A directory is a capability of its own: paths resolve below it (`..`
 * may not climb above it, no absolute paths, no symlink out; see sandbox-path). What changes the
 * tree needs the tree writable (else `read-only`: a served component's files) and the directory
 * opened to mutate it (else `not-permitted`), as wasmtime's `--dir` grants. A file is held open by
 * its descriptor, so it stays usable once unlinked, as a POSIX fd does; its data needs the
 * descriptor's `read` or `write` flag (else `bad-descriptor`). Calls throw FsRefusal or the host's
 * errors; `codeOf` names them.
 */
export class TreeDescriptor {
  constructor(
    private readonly location: TreeLocation,
    private readonly node: Node,
    readonly flags: DescriptorFlags,
    private readonly treeWritable: boolean,
    private readonly files: OpenFiles,
  ) {}

  /** A granted directory: read, and mutated when the tree is writable. */
  static preopen(hostPath: string, writable: boolean, files: OpenFiles): TreeDescriptor {
    const flags = writable ? { read: true, mutateDirectory: true } : { read: true };
    return new TreeDescriptor({ root: hostPath, segments: [] }, { kind: "directory" }, flags, writable, files);
  }

  get host(): string {
    return hostPathOf(this.location);
  }

  /** Whether its tree may change (a `wisp run --dir`), not a served component's files. */
  get writable(): boolean {
    return this.treeWritable;
  }

  get isFile(): boolean {
    return this.node.kind === "file";
  }

  stats(): BigIntStats {
    return this.node.kind === "file"
      ? this.node.file.useNow((fd) => fstatSync(fd, { bigint: true }))
      : lstatSync(this.host, { bigint: true });
  }

  /** The open file, for reading or writing its data. */
  file(access: "read" | "write"): OpenFile {
    if (this.node.kind !== "file") return refuse("is-directory");
    if (!this.flags[access]) return refuse("bad-descriptor");
    return this.node.file;
  }

  /** A path below this directory (`follow`: the last segment's symlink too). */
  target(path: string, follow = false): Target {
    if (this.node.kind !== "directory") return refuse("not-directory");
    const location = resolveInTree(this.location, path, follow, this.location.segments.length);
    return { location, host: hostPathOf(location), path };
  }

  /** The same, for a call that changes the tree. */
  private change(path: string, follow = false): Target {
    const target = this.target(path, follow);
    if (!this.treeWritable) refuse("read-only");
    if (!this.flags.mutateDirectory) refuse("not-permitted");
    return target;
  }

  /**
   * open-at, as wasmtime opens: CREATE and TRUNCATE imply WRITE; no access asked means READ; a
   * directory opens for reading (and mutating, if asked and this one may), never for writing; the
   * last segment is never a symlink followed unasked.
   */
  open(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags): TreeDescriptor {
    const target = this.target(path, pathFlags.symlinkFollow);
    const existing = lstatOrUndefined(target.host);
    const { create = false, exclusive = false, truncate = false, directory = false } = openFlags;
    if (directory && (create || truncate)) refuse("invalid");
    if (existing?.isSymbolicLink()) refuse("loop");
    if (existing && create && exclusive) refuse("exist");
    if (!existing && !create) refuse("no-entry");
    if (directory && existing && !existing.isDirectory()) refuse("not-directory");
    const mutates = create || truncate || flags.mutateDirectory;
    if ((mutates || flags.write) && !this.treeWritable) refuse("read-only");
    if (mutates && !this.flags.mutateDirectory) refuse("not-permitted");
    if (existing?.isDirectory()) {
      if (flags.write) refuse("is-directory");
      const opened = flags.mutateDirectory ? { read: true, mutateDirectory: true } : { read: true };
      return new TreeDescriptor(target.location, { kind: "directory" }, opened, this.treeWritable, this.files);
    }
    // A name with a trailing slash can only be a directory, which open-at does not make.
    if (!existing && path.endsWith("/")) refuse("is-directory");
    const write = flags.write || create || truncate;
    const read = flags.read || !flags.write;
    let mode = constants.O_NOFOLLOW | (write ? (read ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY);
    if (create) mode |= constants.O_CREAT;
    if (create && exclusive) mode |= constants.O_EXCL;
    if (truncate) mode |= constants.O_TRUNC;
    if (flags.fileIntegritySync || flags.requestedWriteSync) mode |= constants.O_SYNC;
    if (flags.dataIntegritySync) mode |= constants.O_DSYNC;
    const file = this.files.add(openSync(target.host, mode, 0o666));
    const opened: DescriptorFlags = { ...flags, read, write };
    delete opened.mutateDirectory;
    return new TreeDescriptor(target.location, { kind: "file", file }, opened, this.treeWritable, this.files);
  }

  setSize(size: bigint): void {
    const file = this.file("write");
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) refuse("file-too-large");
    file.useNow((fd) => ftruncateSync(fd, Number(size)));
  }

  setTimes(atime: NewTimestamp, mtime: NewTimestamp): void {
    if (!this.treeWritable) refuse("read-only");
    const stats = this.stats();
    const a = secondsOf(atime, stats.atimeNs);
    const m = secondsOf(mtime, stats.mtimeNs);
    if (this.node.kind === "file") this.node.file.useNow((fd) => futimesSync(fd, a, m));
    else lutimesSync(this.host, a, m);
  }

  setTimesAt(pathFlags: PathFlags, path: string, atime: NewTimestamp, mtime: NewTimestamp): void {
    const { host } = this.change(path, pathFlags.symlinkFollow);
    // Links were followed by hand if asked: what the path names now is what changes.
    const stats = lstatSync(host, { bigint: true });
    lutimesSync(host, secondsOf(atime, stats.atimeNs), secondsOf(mtime, stats.mtimeNs));
  }

  link(oldPathFlags: PathFlags, oldPath: string, newDirectory: TreeDescriptor, newPath: string): void {
    const from = this.target(oldPath, oldPathFlags.symlinkFollow);
    const to = newDirectory.change(newPath);
    if (from.location.root !== to.location.root) refuse("cross-device");
    refuseMissingDirectoryName(to);
    linkSync(from.host, to.host);
  }

  readlink(path: string): string {
    return readlinkSync(this.target(path).host);
  }

  removeDirectory(path: string): void {
    const { location, host } = this.change(path);
    // The directory itself (`.`, `a/..`) is not removed through itself (rmdir(2) says EINVAL).
    if (location.segments.length <= this.location.segments.length) refuse("invalid");
    if (!lstatSync(host).isDirectory()) refuse("not-directory");
    rmdirSync(host);
  }

  rename(oldPath: string, newDirectory: TreeDescriptor, newPath: string): void {
    const from = this.change(oldPath);
    const to = newDirectory.change(newPath);
    if (from.location.root !== to.location.root) refuse("cross-device");
    renameSync(from.host, to.host);
  }

  symlink(oldPath: string, newPath: string): void {
    const to = this.change(newPath);
    // A link to an absolute path could never be followed inside the tree: refused up front.
    if (oldPath.startsWith("/")) refuse("not-permitted");
    refuseMissingDirectoryName(to);
    symlinkSync(oldPath, to.host);
  }

  unlink(path: string): void {
    const { host } = this.change(path);
    if (lstatSync(host).isDirectory()) refuse("is-directory");
    if (path.endsWith("/")) refuse("not-directory");
    unlinkSync(host);
  }

  createDirectory(path: string): void {
    mkdirSync(this.change(path).host);
  }

  isSameObject(other: TreeDescriptor): boolean {
    const [a, b] = [this.stats(), other.stats()];
    return a.dev === b.dev && a.ino === b.ino;
  }

  /** The guest dropped the descriptor: its file closes (once no operation on it is in flight). */
  dispose(): void {
    if (this.node.kind === "file") this.files.close(this.node.file);
  }
}

/** A new name with a trailing slash names a directory: with nothing there, nothing to link into. */
function refuseMissingDirectoryName(target: Target): void {
  if (target.path.endsWith("/") && !lstatOrUndefined(target.host)) refuse("no-entry");
}

/** A metadata hash: the file's identity and its last change (two names of one file hash alike). */
export function hashOf(stats: BigIntStats): { lower: bigint; upper: bigint } {
  return { lower: stats.ino, upper: BigInt.asUintN(64, stats.mtimeNs ^ stats.dev) };
}
