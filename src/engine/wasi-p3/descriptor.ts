import { fdatasync, fsync, lstatSync, statSync, type BigIntStats } from "node:fs";
import { readdir } from "node:fs/promises";
import { promisify } from "node:util";
import type { OpenFiles } from "../wasi-p2/open-files.js";
import { descriptorStat as p2DescriptorStat, typeOf as p2TypeOf, type FileKind } from "../wasi-p2/filesystem.js";
import { TreeDescriptor, codeOf as codeNameOf, hashOf } from "../wasi-p2/tree-descriptor.js";
import { endingOnDrop, fileBytes, writeGuestStream } from "./file-streams.js";
import type * as Fs from "../../generated/wasi-filesystem@0.3.0/interfaces/wasi-filesystem-types.js";

type ErrorCode = Fs.ErrorCode;
type PathFlags = Fs.PathFlags;
type Result = Fs.Result<void, ErrorCode>;

/** A host failure as 0.3's error-code variant (0.2's enum case, as its tag). */
export function codeOf(failure: unknown): ErrorCode {
  if (failure && typeof failure === "object" && "tag" in failure) return failure as ErrorCode;
  return { tag: codeNameOf(failure) } as ErrorCode;
}

/** Runs a host call, its failure thrown as the interface's error code (as the async glue lowers it). */
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

/** A file offset as node:fs takes it; past 2^53 no file reaches (wasmtime: `invalid`). */
function offsetOf(offset: bigint): number {
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw { tag: "invalid" };
  return Number(offset);
}

const flushAll = promisify(fsync);
const flushData = promisify(fdatasync);

/**
 * A wasi:filesystem 0.3 descriptor: the sandbox 0.2 shares (wasi-p2/tree-descriptor.ts: what it
 * may reach and change), with 0.3's ABI: every call async, failures as the error-code variant,
 * a file's bytes and a directory's entries as streams read and written off the run's thread.
 */
export class Descriptor {
  constructor(private readonly tree: TreeDescriptor) {}

  /** A granted directory: read, and mutated when the tree is writable. */
  static preopen(hostPath: string, writable: boolean, files: OpenFiles): Descriptor {
    return new Descriptor(TreeDescriptor.preopen(hostPath, writable, files));
  }

  readViaStream(offset: bigint): [AsyncIterable<Uint8Array> | Uint8Array[], Promise<Result>] {
    const result = Promise.withResolvers<Result>();
    try {
      const bytes = fileBytes(this.tree.file("read"), offsetOf(offset), (failure) => result.resolve(outcome(failure)));
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
      await writeGuestStream(data, this.tree.file("write"), at());
      return outcome();
    } catch (failure) {
      return outcome(failure);
    }
  }
  /** Advice is taken and ignored (a hint), but only for a file, as wasmtime judges it. */
  advise(): Promise<void> {
    return guarded(() => {
      if (!this.tree.isFile) throw { tag: "bad-descriptor" };
    });
  }
  syncData(): Promise<void> {
    return guarded(() => (this.tree.isFile ? this.tree.file("read").use((fd) => flushData(fd)) : undefined));
  }
  sync(): Promise<void> {
    return guarded(() => (this.tree.isFile ? this.tree.file("read").use((fd) => flushAll(fd)) : undefined));
  }
  getFlags(): Promise<Fs.DescriptorFlags> {
    return Promise.resolve({ ...this.tree.flags });
  }
  getType(): Promise<Fs.DescriptorType> {
    return guarded(() => typeOf(this.tree.stats()));
  }
  setSize(size: bigint): Promise<void> {
    return guarded(() => this.tree.setSize(size));
  }
  setTimes(atime: Fs.NewTimestamp, mtime: Fs.NewTimestamp): Promise<void> {
    return guarded(() => this.tree.setTimes(atime, mtime));
  }
  readDirectory(): [AsyncIterable<Fs.DirectoryEntry> | Fs.DirectoryEntry[], Promise<Result>] {
    const result = Promise.withResolvers<Result>();
    let host: string;
    try {
      host = this.tree.target(".").host;
    } catch (failure) {
      result.resolve(outcome(failure));
      return [[], result.promise];
    }
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
    return guarded(() => descriptorStat(this.tree.stats()));
  }
  statAt(pathFlags: PathFlags, path: string): Promise<Fs.DescriptorStat> {
    return guarded(() =>
      descriptorStat(lstatSync(this.tree.target(path, pathFlags.symlinkFollow).host, { bigint: true })),
    );
  }
  setTimesAt(pathFlags: PathFlags, path: string, atime: Fs.NewTimestamp, mtime: Fs.NewTimestamp): Promise<void> {
    return guarded(() => this.tree.setTimesAt(pathFlags, path, atime, mtime));
  }
  linkAt(oldPathFlags: PathFlags, oldPath: string, newDescriptor: Descriptor, newPath: string): Promise<void> {
    return guarded(() => this.tree.link(oldPathFlags, oldPath, newDescriptor.tree, newPath));
  }
  openAt(pathFlags: PathFlags, path: string, openFlags: Fs.OpenFlags, flags: Fs.DescriptorFlags): Promise<Descriptor> {
    return guarded(() => new Descriptor(this.tree.open(pathFlags, path, openFlags, flags)));
  }
  readlinkAt(path: string): Promise<string> {
    return guarded(() => this.tree.readlink(path));
  }
  removeDirectoryAt(path: string): Promise<void> {
    return guarded(() => this.tree.removeDirectory(path));
  }
  renameAt(oldPath: string, newDescriptor: Descriptor, newPath: string): Promise<void> {
    return guarded(() => this.tree.rename(oldPath, newDescriptor.tree, newPath));
  }
  symlinkAt(oldPath: string, newPath: string): Promise<void> {
    return guarded(() => this.tree.symlink(oldPath, newPath));
  }
  unlinkFileAt(path: string): Promise<void> {
    return guarded(() => this.tree.unlink(path));
  }
  createDirectoryAt(path: string): Promise<void> {
    return guarded(() => this.tree.createDirectory(path));
  }
  isSameObject(other: Descriptor): Promise<boolean> {
    return guarded(() => this.tree.isSameObject(other.tree));
  }
  metadataHash(): Promise<Fs.MetadataHashValue> {
    return guarded(() => hashOf(this.tree.stats()));
  }
  metadataHashAt(pathFlags: PathFlags, path: string): Promise<Fs.MetadataHashValue> {
    return guarded(() => hashOf(statSync(this.tree.target(path, pathFlags.symlinkFollow).host, { bigint: true })));
  }

  /** The descriptor's file is closed once the guest drops it (and no stream still uses it). */
  [Symbol.dispose](): void {
    this.tree.dispose();
  }
}
