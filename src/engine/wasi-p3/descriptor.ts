import {
  constants,
  fdatasync,
  fstatSync,
  fsync,
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
  statSync,
  symlinkSync,
  unlinkSync,
  type BigIntStats,
} from "node:fs";
import { readdir } from "node:fs/promises";
import { promisify } from "node:util";
import { WasiErrno } from "../wasi-p1/errno.js";
import { hostPathOf, resolveInTree, type TreeLocation } from "../wasi-p1/sandbox-path.js";
import {
  ERRNO_CODES,
  NODE_CODES,
  descriptorStat as p2DescriptorStat,
  typeOf as p2TypeOf,
  type FileKind,
} from "../wasi-p2/filesystem.js";
import { endingOnDrop, fileBytes, writeGuestStream } from "./file-streams.js";
import type { OpenFile, OpenFiles } from "./open-files.js";
import type * as Fs from "../../generated/wasi-filesystem@0.3.0/interfaces/wasi-filesystem-types.js";

type ErrorCode = Fs.ErrorCode;
type PathFlags = Fs.PathFlags;
type Result = Fs.Result<void, ErrorCode>;

/** The err case of a result, thrown as the async glue lowers it. */
const error = (tag: ErrorCode["tag"]): ErrorCode => ({ tag }) as ErrorCode;

/** A host failure as the interface's error code (anything unknown is `io`). */
export function codeOf(failure: unknown): ErrorCode {
  if (failure && typeof failure === "object" && "tag" in failure) return failure as ErrorCode;
  if (failure instanceof WasiErrno) return error((ERRNO_CODES[failure.errno] as ErrorCode["tag"] | undefined) ?? "io");
  const code = (failure as NodeJS.ErrnoException).code;
  if (typeof code === "string") return error((NODE_CODES[code] as ErrorCode["tag"] | undefined) ?? "io");
  throw failure;
}

/** Runs a host call, its failure thrown as the interface's error code. */
async function guarded<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (failure) {
    throw codeOf(failure);
  }
}

/** A future's result from a call's outcome. */
const outcome = (failure?: unknown): Result =>
  failure === undefined ? { tag: "ok", val: undefined } : { tag: "err", val: codeOf(failure) };

/** A file's kind as 0.3's descriptor-type variant: 0.2's case names, `other` for its `unknown`. */
export function typeOf(stats: FileKind): Fs.DescriptorType {
  const kind = p2TypeOf(stats);
  return kind === "unknown" ? { tag: "other", val: undefined } : { tag: kind };
}

/** 0.2's stat, with 0.3's type (its timestamps are 0.3's instants already: seconds and nanoseconds). */
function descriptorStat(stats: BigIntStats): Fs.DescriptorStat {
  return { ...p2DescriptorStat(stats), type: typeOf(stats) };
}

function hashOf(stats: BigIntStats): Fs.MetadataHashValue {
  return { lower: stats.ino, upper: stats.mtimeNs ^ (stats.dev << 64n) };
}

/** A file offset as node:fs takes it; past 2^53 no file reaches (wasmtime: `invalid`). */
function offsetOf(offset: bigint): number {
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw error("invalid");
  return Number(offset);
}

/** A new time in seconds, as node:fs sets it (to the microsecond); `current` for `no-change`. */
function secondsOf(stamp: Fs.NewTimestamp, currentNs: bigint): number {
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

function exists(host: string): boolean {
  try {
    lstatSync(host);
    return true;
  } catch {
    return false;
  }
}

const syncFlush = promisify(fsync);
const syncData = promisify(fdatasync);

/** What a descriptor names: a directory (by its place in the tree) or a host file it holds open. */
type Node = { kind: "directory" } | { kind: "file"; file: OpenFile };

/**
 * A wasi:filesystem 0.3 descriptor, inside a tree granted to the run (see filesystem.ts). A
 * directory is a capability of its own: paths resolve below it (`..` may not climb above it, no
 * absolute paths, no symlink out; see sandbox-path). What changes the tree needs the tree to be
 * writable (else `read-only`: a component's files) and the directory opened to mutate it (else
 * `not-permitted`), as wasmtime's `--dir` grants; a file's data needs its `read` or `write` flag.
 */
export class Descriptor {
  constructor(
    private readonly location: TreeLocation,
    private readonly node: Node,
    private readonly flags: Fs.DescriptorFlags,
    private readonly treeWritable: boolean,
    private readonly files: OpenFiles,
  ) {}

  /** A granted directory: read, and mutated when the tree is writable. */
  static preopen(hostPath: string, writable: boolean, files: OpenFiles): Descriptor {
    const flags = writable ? { read: true, mutateDirectory: true } : { read: true };
    return new Descriptor({ root: hostPath, segments: [] }, { kind: "directory" }, flags, writable, files);
  }

  private get host(): string {
    return hostPathOf(this.location);
  }

  private hostStats(): BigIntStats {
    return this.node.kind === "file"
      ? this.node.file.useNow((fd) => fstatSync(fd, { bigint: true }))
      : lstatSync(this.host, { bigint: true });
  }

  private file(access: "read" | "write"): OpenFile {
    if (this.node.kind !== "file") throw error("is-directory");
    if (!this.flags[access]) throw error("bad-descriptor");
    return this.node.file;
  }

  /** A path below this directory (`follow`: the last segment's symlink too). */
  private target(path: string, follow = false): Target {
    if (this.node.kind !== "directory") throw error("not-directory");
    const location = resolveInTree(this.location, path, follow, this.location.segments.length);
    return { location, host: hostPathOf(location), path };
  }

  /** The same, for a call that changes the tree. */
  private change(path: string, follow = false): Target {
    const target = this.target(path, follow);
    if (!this.treeWritable) throw error("read-only");
    if (!this.flags.mutateDirectory) throw error("not-permitted");
    return target;
  }

  readViaStream(offset: bigint): [AsyncIterable<Uint8Array> | Uint8Array[], Promise<Result>] {
    const result = Promise.withResolvers<Result>();
    try {
      const file = this.file("read");
      const bytes = fileBytes(file, offsetOf(offset), (failure) => result.resolve(outcome(failure)));
      return [bytes, result.promise];
    } catch (failure) {
      result.resolve(outcome(failure));
      return [[], result.promise];
    }
  }
  writeViaStream(data: unknown, offset: bigint): Promise<Result> {
    return this.written(data, () => ({ offset: offsetOf(offset) }));
  }
  appendViaStream(data: unknown): Promise<Result> {
    return this.written(data, () => "append");
  }
  private async written(data: unknown, at: () => { offset: number } | "append"): Promise<Result> {
    try {
      await writeGuestStream(data, this.file("write"), at());
      return outcome();
    } catch (failure) {
      return outcome(failure);
    }
  }
  /** Advice is taken and ignored (a hint), but only for a file, as wasmtime judges it. */
  advise(): Promise<void> {
    return guarded(() => {
      if (this.node.kind !== "file") throw error("bad-descriptor");
    });
  }
  syncData(): Promise<void> {
    return guarded(() => (this.node.kind === "file" ? this.node.file.use((fd) => syncData(fd)) : undefined));
  }
  sync(): Promise<void> {
    return guarded(() => (this.node.kind === "file" ? this.node.file.use((fd) => syncFlush(fd)) : undefined));
  }
  getFlags(): Promise<Fs.DescriptorFlags> {
    return Promise.resolve({ ...this.flags });
  }
  getType(): Promise<Fs.DescriptorType> {
    return guarded(() => typeOf(this.hostStats()));
  }
  setSize(size: bigint): Promise<void> {
    return guarded(() => {
      const file = this.file("write");
      if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw error("file-too-large");
      file.useNow((fd) => ftruncateSync(fd, Number(size)));
    });
  }
  setTimes(atime: Fs.NewTimestamp, mtime: Fs.NewTimestamp): Promise<void> {
    return guarded(() => {
      if (!this.treeWritable) throw error("read-only");
      const stats = this.hostStats();
      const a = secondsOf(atime, stats.atimeNs);
      const m = secondsOf(mtime, stats.mtimeNs);
      if (this.node.kind === "file") this.node.file.useNow((fd) => futimesSync(fd, a, m));
      else lutimesSync(this.host, a, m);
    });
  }
  readDirectory(): [AsyncIterable<Fs.DirectoryEntry> | Fs.DirectoryEntry[], Promise<Result>] {
    const result = Promise.withResolvers<Result>();
    if (this.node.kind !== "directory") {
      result.resolve(outcome(error("not-directory")));
      return [[], result.promise];
    }
    const host = this.host;
    const entries = (async function* (): AsyncGenerator<Fs.DirectoryEntry> {
      try {
        for (const entry of (await readdir(host, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1)))
          yield { type: typeOf(entry), name: entry.name };
        result.resolve(outcome());
      } catch (failure) {
        result.resolve(outcome(failure));
      }
    })();
    return [endingOnDrop(entries, () => result.resolve(outcome())), result.promise];
  }
  stat(): Promise<Fs.DescriptorStat> {
    return guarded(() => descriptorStat(this.hostStats()));
  }
  statAt(pathFlags: PathFlags, path: string): Promise<Fs.DescriptorStat> {
    return guarded(() => descriptorStat(lstatSync(this.target(path, pathFlags.symlinkFollow).host, { bigint: true })));
  }
  setTimesAt(pathFlags: PathFlags, path: string, atime: Fs.NewTimestamp, mtime: Fs.NewTimestamp): Promise<void> {
    return guarded(() => {
      const { host } = this.change(path, pathFlags.symlinkFollow);
      // Links were followed by hand if asked: what the path names now is what changes.
      const stats = lstatSync(host, { bigint: true });
      lutimesSync(host, secondsOf(atime, stats.atimeNs), secondsOf(mtime, stats.mtimeNs));
    });
  }
  linkAt(oldPathFlags: PathFlags, oldPath: string, newDescriptor: Descriptor, newPath: string): Promise<void> {
    return guarded(() => {
      const from = this.target(oldPath, oldPathFlags.symlinkFollow);
      const to = newDescriptor.change(newPath);
      if (from.location.root !== to.location.root) throw error("cross-device");
      refuseMissingDirectoryName(to);
      linkSync(from.host, to.host);
    });
  }
  openAt(pathFlags: PathFlags, path: string, openFlags: Fs.OpenFlags, flags: Fs.DescriptorFlags): Promise<Descriptor> {
    return guarded(() => this.open(this.target(path, pathFlags.symlinkFollow), openFlags, flags));
  }
  readlinkAt(path: string): Promise<string> {
    return guarded(() => readlinkSync(this.target(path).host));
  }
  removeDirectoryAt(path: string): Promise<void> {
    return guarded(() => {
      const { location, host } = this.change(path);
      // The directory itself (`.`, `a/..`) is not removed through itself (rmdir(2) says EINVAL).
      if (location.segments.length <= this.location.segments.length) throw error("invalid");
      if (!lstatSync(host).isDirectory()) throw error("not-directory");
      rmdirSync(host);
    });
  }
  renameAt(oldPath: string, newDescriptor: Descriptor, newPath: string): Promise<void> {
    return guarded(() => {
      const from = this.change(oldPath);
      const to = newDescriptor.change(newPath);
      if (from.location.root !== to.location.root) throw error("cross-device");
      renameSync(from.host, to.host);
    });
  }
  symlinkAt(oldPath: string, newPath: string): Promise<void> {
    return guarded(() => {
      const to = this.change(newPath);
      // A link to an absolute path could never be followed inside the tree: refused up front.
      if (oldPath.startsWith("/")) throw error("not-permitted");
      refuseMissingDirectoryName(to);
      symlinkSync(oldPath, to.host);
    });
  }
  unlinkFileAt(path: string): Promise<void> {
    return guarded(() => {
      const { host } = this.change(path);
      if (lstatSync(host).isDirectory()) throw error("is-directory");
      if (path.endsWith("/")) throw error("not-directory");
      unlinkSync(host);
    });
  }
  createDirectoryAt(path: string): Promise<void> {
    return guarded(() => mkdirSync(this.change(path).host));
  }
  isSameObject(other: Descriptor): Promise<boolean> {
    return guarded(() => {
      const [a, b] = [this.hostStats(), other.hostStats()];
      return a.dev === b.dev && a.ino === b.ino;
    });
  }
  metadataHash(): Promise<Fs.MetadataHashValue> {
    return guarded(() => hashOf(this.hostStats()));
  }
  metadataHashAt(pathFlags: PathFlags, path: string): Promise<Fs.MetadataHashValue> {
    return guarded(() => hashOf(statSync(this.target(path, pathFlags.symlinkFollow).host, { bigint: true })));
  }

  /** The descriptor's file is closed once the guest drops it (and no stream still uses it). */
  [Symbol.dispose](): void {
    if (this.node.kind === "file") this.files.close(this.node.file);
  }

  /**
   * open-at, as wasmtime opens: CREATE and TRUNCATE imply WRITE; no access asked means READ; a
   * directory opens for reading (and mutating, if asked and this one may), never for writing; the
   * last segment is never a symlink followed unasked.
   */
  private open(target: Target, openFlags: Fs.OpenFlags, flags: Fs.DescriptorFlags): Descriptor {
    const existing = exists(target.host) ? lstatSync(target.host) : undefined;
    const { create = false, exclusive = false, truncate = false, directory = false } = openFlags;
    if (directory && (create || truncate)) throw error("invalid");
    if (existing?.isSymbolicLink()) throw error("loop");
    if (existing && create && exclusive) throw error("exist");
    if (!existing && !create) throw error("no-entry");
    if (directory && existing && !existing.isDirectory()) throw error("not-directory");
    const mutates = create || truncate || flags.mutateDirectory;
    if ((mutates || flags.write) && !this.treeWritable) throw error("read-only");
    if (mutates && !this.flags.mutateDirectory) throw error("not-permitted");
    if (existing?.isDirectory()) {
      if (flags.write) throw error("is-directory");
      const opened = flags.mutateDirectory ? { read: true, mutateDirectory: true } : { read: true };
      return new Descriptor(target.location, { kind: "directory" }, opened, this.treeWritable, this.files);
    }
    // A name with a trailing slash can only be a directory, which open-at does not make.
    if (!existing && target.path.endsWith("/")) throw error("is-directory");
    const write = flags.write || create || truncate;
    const read = flags.read || !flags.write;
    let mode = constants.O_NOFOLLOW | (write ? (read ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY);
    if (create) mode |= constants.O_CREAT;
    if (create && exclusive) mode |= constants.O_EXCL;
    if (truncate) mode |= constants.O_TRUNC;
    if (flags.fileIntegritySync || flags.requestedWriteSync) mode |= constants.O_SYNC;
    if (flags.dataIntegritySync) mode |= constants.O_DSYNC;
    const file = this.files.add(openSync(target.host, mode, 0o666));
    const opened: Fs.DescriptorFlags = { ...flags, read, write };
    delete opened.mutateDirectory;
    return new Descriptor(target.location, { kind: "file", file }, opened, this.treeWritable, this.files);
  }
}

/** A new name with a trailing slash names a directory: with nothing there, nothing to link into. */
function refuseMissingDirectoryName(target: Target): void {
  if (target.path.endsWith("/") && !exists(target.host)) throw error("no-entry");
}
