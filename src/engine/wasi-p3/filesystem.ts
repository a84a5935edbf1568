import { lstatSync, readlinkSync, statSync, type BigIntStats } from "node:fs";
import { open, readdir, lstat } from "node:fs/promises";
import { WasiErrno } from "../wasi-p1/errno.js";
import {
  ERRNO_CODES,
  NODE_CODES,
  descriptorStat as p2DescriptorStat,
  typeOf as p2TypeOf,
  type FileKind,
} from "../wasi-p2/filesystem.js";
import { hostPathOf, resolveInTree, type TreeLocation } from "../wasi-p1/sandbox-path.js";
import type * as Fs from "../../generated/wasi-filesystem@0.3.0/interfaces/wasi-filesystem-types.js";

/**
 * wasi:filesystem 0.3, read-only: a component's `files` as a tree preopened at `/` (or `wisp
 * run`'s `--dir`s), as 0.2's (wasi-p2/filesystem.ts), with the same sandbox: paths resolve inside
 * the tree (no `..` above it, no absolute paths, no symlink out); whatever would change it answers
 * `read-only`. Reads are async (the thread serves other requests meanwhile); a file's contents and
 * a directory's entries come as streams, read as the guest reads them.
 */

type ErrorCode = Fs.ErrorCode;
type PathFlags = Fs.PathFlags;

/** The err case of a result, thrown as the async glue lowers it. */
const error = (tag: ErrorCode["tag"]): ErrorCode => ({ tag }) as ErrorCode;
const READ_ONLY = error("read-only");

/** A host failure as the interface's error code (anything unknown is `io`). */
function codeOf(failure: unknown): ErrorCode {
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
    if (failure && typeof failure === "object" && "tag" in failure) throw failure;
    throw codeOf(failure);
  }
}

/** A file's kind as 0.3's descriptor-type variant: 0.2's case names, `other` for its `unknown`. */
function typeOf(stats: FileKind): Fs.DescriptorType {
  const kind = p2TypeOf(stats);
  return kind === "unknown" ? { tag: "other", val: undefined } : { tag: kind };
}

/** 0.2's stat, with 0.3's type (its timestamps are 0.3's instants already: seconds and nanoseconds). */
function descriptorStat(stats: BigIntStats): Fs.DescriptorStat {
  return { ...p2DescriptorStat(stats), type: typeOf(stats) };
}

/** How much of a file one read of its stream takes. */
const CHUNK = 64 * 1024;

/** A file's bytes from `offset`, read as the guest reads; the future says whether all came. */
function fileStream(host: string, offset: bigint, done: (result: Fs.Result<void, ErrorCode>) => void) {
  return (async function* (): AsyncGenerator<Uint8Array> {
    let handle;
    try {
      handle = await open(host, "r");
      let position = Number(offset);
      for (;;) {
        const buffer = new Uint8Array(CHUNK);
        const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
      done({ tag: "ok", val: undefined });
    } catch (failure) {
      done({ tag: "err", val: codeOf(failure) });
    } finally {
      await handle?.close();
    }
  })();
}

export class Descriptor {
  constructor(private readonly location: TreeLocation) {}

  private get host(): string {
    return hostPathOf(this.location);
  }

  private resolve(pathFlags: PathFlags, path: string): TreeLocation {
    return resolveInTree(this.location, path, pathFlags.symlinkFollow ?? false);
  }

  /** The glue reads any iterable as a stream (see wasi-p3/cli.ts): an empty one is an array. */
  readViaStream(offset: bigint): [AsyncIterable<Uint8Array> | Uint8Array[], Promise<Fs.Result<void, ErrorCode>>] {
    const result = Promise.withResolvers<Fs.Result<void, ErrorCode>>();
    let stats: BigIntStats;
    try {
      stats = lstatSync(this.host, { bigint: true });
    } catch (failure) {
      result.resolve({ tag: "err", val: codeOf(failure) });
      return [[], result.promise];
    }
    if (!stats.isFile()) {
      result.resolve({ tag: "err", val: error("is-directory") });
      return [[], result.promise];
    }
    return [fileStream(this.host, offset, result.resolve), result.promise];
  }
  writeViaStream(): Promise<Fs.Result<void, ErrorCode>> {
    return Promise.resolve({ tag: "err", val: READ_ONLY });
  }
  appendViaStream(): Promise<Fs.Result<void, ErrorCode>> {
    return Promise.resolve({ tag: "err", val: READ_ONLY });
  }
  /** Advice is taken and ignored (a hint), but only for a file, as wasmtime judges it. */
  advise(): Promise<void> {
    return guarded(async () => {
      if (!(await lstat(this.host)).isFile()) throw error("bad-descriptor");
    });
  }
  syncData(): Promise<void> {
    return Promise.resolve();
  }
  sync(): Promise<void> {
    return Promise.resolve();
  }
  getFlags(): Promise<Fs.DescriptorFlags> {
    return Promise.resolve({ read: true });
  }
  getType(): Promise<Fs.DescriptorType> {
    return guarded(async () => typeOf(await lstat(this.host)));
  }
  setSize(): Promise<void> {
    return Promise.reject(READ_ONLY);
  }
  setTimes(): Promise<void> {
    return Promise.reject(READ_ONLY);
  }
  readDirectory(): [AsyncIterable<Fs.DirectoryEntry>, Promise<Fs.Result<void, ErrorCode>>] {
    const result = Promise.withResolvers<Fs.Result<void, ErrorCode>>();
    const host = this.host;
    const entries = (async function* (): AsyncGenerator<Fs.DirectoryEntry> {
      try {
        for (const entry of (await readdir(host, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1)))
          yield { type: typeOf(entry), name: entry.name };
        result.resolve({ tag: "ok", val: undefined });
      } catch (failure) {
        result.resolve({ tag: "err", val: codeOf(failure) });
      }
    })();
    return [entries, result.promise];
  }
  stat(): Promise<Fs.DescriptorStat> {
    return guarded(() => descriptorStat(lstatSync(this.host, { bigint: true })));
  }
  statAt(pathFlags: PathFlags, path: string): Promise<Fs.DescriptorStat> {
    return guarded(() => descriptorStat(lstatSync(hostPathOf(this.resolve(pathFlags, path)), { bigint: true })));
  }
  openAt(pathFlags: PathFlags, path: string, openFlags: Fs.OpenFlags, flags: Fs.DescriptorFlags): Promise<Descriptor> {
    return guarded(() => {
      if (openFlags.create || openFlags.truncate || flags.write || flags.mutateDirectory) throw READ_ONLY;
      const location = this.resolve(pathFlags, path);
      const stats = lstatSync(hostPathOf(location), { bigint: true });
      if (stats.isSymbolicLink()) throw error("loop");
      if (openFlags.directory && !stats.isDirectory()) throw error("not-directory");
      return new Descriptor(location);
    });
  }
  readlinkAt(path: string): Promise<string> {
    return guarded(() => readlinkSync(hostPathOf(this.resolve({}, path))));
  }
  isSameObject(other: Descriptor): Promise<boolean> {
    return Promise.resolve(this.host === other.host);
  }
  metadataHash(): Promise<Fs.MetadataHashValue> {
    return guarded(() => hashOf(lstatSync(this.host, { bigint: true })));
  }
  metadataHashAt(pathFlags: PathFlags, path: string): Promise<Fs.MetadataHashValue> {
    return guarded(() => hashOf(statSync(hostPathOf(this.resolve(pathFlags, path)), { bigint: true })));
  }
  createDirectoryAt = readOnly;
  setTimesAt = readOnly;
  linkAt = readOnly;
  removeDirectoryAt = readOnly;
  renameAt = readOnly;
  symlinkAt = readOnly;
  unlinkFileAt = readOnly;
}

function readOnly(): Promise<void> {
  return Promise.reject(READ_ONLY);
}

function hashOf(stats: BigIntStats): Fs.MetadataHashValue {
  return { lower: stats.ino, upper: stats.mtimeNs };
}

/** The directories a request sees: host folders, each at its guest path, read-only. */
export interface Preopen {
  hostPath: string;
  guestPath: string;
}

/** wasi:filesystem 0.3's interfaces, over the preopens `directories` gives (per request). */
export function filesystemImports(directories: () => readonly Preopen[]) {
  return {
    "wasi:filesystem/types": { Descriptor },
    "wasi:filesystem/preopens": {
      getDirectories: (): Array<[Descriptor, string]> =>
        directories().map(({ hostPath, guestPath }) => [new Descriptor({ root: hostPath, segments: [] }), guestPath]),
    },
  };
}
