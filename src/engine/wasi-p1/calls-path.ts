import {
  constants,
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
} from "node:fs";
import { FdFlags, LookupFlags, OFlags, Rights } from "./constants.js";
import type { DirDescriptor } from "./descriptors.js";
import { Errno, WasiErrno } from "./errno.js";
import { writeFilestat } from "./filestat.js";
import { checkFstFlags } from "./guest-times.js";
import { hostPathOf, resolveInTree, type TreeLocation } from "./sandbox-path.js";
import { ENCODER, type WasiCallContext } from "./wasi-context.js";

const READ_BITS = Rights.FD_READ | Rights.FD_READDIR;
const WRITE_BITS = Rights.FD_DATASYNC | Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;
const SYNC_FLAGS = FdFlags.DSYNC | FdFlags.RSYNC | FdFlags.SYNC;

function requireWritable(dir: DirDescriptor): void {
  if (!dir.writable) throw new WasiErrno(Errno.ROFS);
}

function lstatOrUndefined(host: string) {
  try {
    return lstatSync(host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** path_* calls: every path is resolved inside the descriptor's granted tree (see sandbox-path). */
export function pathCalls(ctx: WasiCallContext) {
  /** Resolves below the directory descriptor itself: `..` may not climb above what it names. */
  const resolve = (
    fd: number,
    ptr: number,
    len: number,
    follow: boolean,
  ): { dir: DirDescriptor; location: TreeLocation; host: string; path: string } => {
    const dir = ctx.fds.dir(fd);
    const path = ctx.memory.string(ptr, len);
    const location = resolveInTree(dir.location, path, follow, dir.location.segments.length);
    return { dir, location, host: hostPathOf(location), path };
  };

  /** A new link's name with a trailing slash names a directory: with nothing there, there is nothing to link into (linkat, symlinkat). */
  const refuseMissingDirectoryName = (path: string, host: string): void => {
    if (path.endsWith("/") && !lstatOrUndefined(host)) throw new WasiErrno(Errno.NOENT);
  };

  return {
    path_open(
      fd: number,
      dirflags: number,
      pathPtr: number,
      pathLen: number,
      oflags: number,
      rightsBase: bigint,
      _rightsInheriting: bigint,
      fdflags: number,
      resultPtr: number,
    ): number {
      const { dir, location, host, path } = resolve(
        fd,
        pathPtr,
        pathLen,
        (dirflags & LookupFlags.SYMLINK_FOLLOW) !== 0,
      );
      const existing = lstatOrUndefined(host);
      const create = (oflags & OFlags.CREAT) !== 0;
      const exclusive = (oflags & OFlags.EXCL) !== 0;
      const truncate = (oflags & OFlags.TRUNC) !== 0;
      const wantsDirectory = (oflags & OFlags.DIRECTORY) !== 0;
      const append = (fdflags & FdFlags.APPEND) !== 0;
      const readable = (rightsBase & READ_BITS) !== 0n;
      const writable = (rightsBase & WRITE_BITS) !== 0n || truncate || append;
      // path_open never makes or empties a directory (wasmtime refuses these too).
      if (wantsDirectory && (create || exclusive || truncate)) throw new WasiErrno(Errno.INVAL);
      if (existing?.isSymbolicLink()) throw new WasiErrno(Errno.LOOP);
      if (existing && create && exclusive) throw new WasiErrno(Errno.EXIST);
      if (!existing && !create) throw new WasiErrno(Errno.NOENT);
      if (wantsDirectory && existing && !existing.isDirectory()) throw new WasiErrno(Errno.NOTDIR);
      if (existing?.isDirectory()) {
        // As open(2): a directory is not opened for writing. Only fd_write asks that; the other
        // write rights in a set a guest passes (e.g. one fd_fdstat_get gave it) are for what it
        // opens below, so they do not refuse the directory.
        if ((rightsBase & Rights.FD_WRITE) !== 0n || truncate || create) throw new WasiErrno(Errno.ISDIR);
        ctx.memory.setU32(resultPtr, ctx.fds.add({ kind: "dir", location, writable: dir.writable }));
        return Errno.SUCCESS;
      }
      if (wantsDirectory) throw new WasiErrno(Errno.NOENT);
      // A name with a trailing slash can only be a directory, which path_open does not create.
      if (!existing && path.endsWith("/")) throw new WasiErrno(Errno.ISDIR);
      if (writable || (create && !existing)) requireWritable(dir);
      let flags =
        constants.O_NOFOLLOW | (writable ? (readable ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY);
      if (create) flags |= constants.O_CREAT;
      if (exclusive) flags |= constants.O_EXCL;
      if (truncate) flags |= constants.O_TRUNC;
      // RSYNC asks reads to complete as SYNC writes do; Linux's O_RSYNC is O_SYNC.
      if (fdflags & (FdFlags.SYNC | FdFlags.RSYNC)) flags |= constants.O_SYNC;
      if (fdflags & FdFlags.DSYNC) flags |= constants.O_DSYNC;
      const hostFd = openSync(host, flags, 0o666);
      ctx.memory.setU32(
        resultPtr,
        ctx.fds.add({
          kind: "file",
          hostFd,
          location,
          readable: readable || !writable,
          writable,
          treeWritable: dir.writable,
          append,
          syncFlags: fdflags & SYNC_FLAGS,
          position: 0,
        }),
      );
      return Errno.SUCCESS;
    },

    path_filestat_get(fd: number, flags: number, pathPtr: number, pathLen: number, ptr: number): number {
      const { host } = resolve(fd, pathPtr, pathLen, (flags & LookupFlags.SYMLINK_FOLLOW) !== 0);
      const stats = lstatSync(host, { bigint: true });
      writeFilestat(ctx.memory, ptr, stats, ctx.times.seen(stats));
      return Errno.SUCCESS;
    },

    path_filestat_set_times(
      fd: number,
      flags: number,
      pathPtr: number,
      pathLen: number,
      atim: bigint,
      mtim: bigint,
      fst: number,
    ): number {
      checkFstFlags(fst);
      const { dir, host } = resolve(fd, pathPtr, pathLen, (flags & LookupFlags.SYMLINK_FOLLOW) !== 0);
      requireWritable(dir);
      // The path is resolved already (links followed by hand if asked): what it names now is what
      // changes, never something a link swapped in since points to.
      const stat = () => lstatSync(host, { bigint: true });
      ctx.times.set(stat(), atim, mtim, fst, (a, m) => lutimesSync(host, a, m), stat);
      return Errno.SUCCESS;
    },

    path_create_directory(fd: number, pathPtr: number, pathLen: number): number {
      const { dir, host } = resolve(fd, pathPtr, pathLen, false);
      requireWritable(dir);
      mkdirSync(host);
      return Errno.SUCCESS;
    },

    path_remove_directory(fd: number, pathPtr: number, pathLen: number): number {
      const { dir, host, location } = resolve(fd, pathPtr, pathLen, false);
      requireWritable(dir);
      if (location.segments.length === 0) throw new WasiErrno(Errno.PERM);
      const stats = lstatSync(host);
      if (!stats.isDirectory()) throw new WasiErrno(Errno.NOTDIR);
      rmdirSync(host);
      return Errno.SUCCESS;
    },

    path_unlink_file(fd: number, pathPtr: number, pathLen: number): number {
      const { dir, host, path } = resolve(fd, pathPtr, pathLen, false);
      requireWritable(dir);
      const stats = lstatSync(host);
      if (stats.isDirectory()) throw new WasiErrno(Errno.ISDIR);
      if (path.endsWith("/")) throw new WasiErrno(Errno.NOTDIR);
      unlinkSync(host);
      return Errno.SUCCESS;
    },

    path_rename(oldFd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
      const from = resolve(oldFd, oldPtr, oldLen, false);
      const to = resolve(newFd, newPtr, newLen, false);
      requireWritable(from.dir);
      requireWritable(to.dir);
      if (from.location.root !== to.location.root) throw new WasiErrno(Errno.XDEV);
      renameSync(from.host, to.host);
      return Errno.SUCCESS;
    },

    path_link(
      oldFd: number,
      oldFlags: number,
      oldPtr: number,
      oldLen: number,
      newFd: number,
      newPtr: number,
      newLen: number,
    ): number {
      const from = resolve(oldFd, oldPtr, oldLen, (oldFlags & LookupFlags.SYMLINK_FOLLOW) !== 0);
      const to = resolve(newFd, newPtr, newLen, false);
      requireWritable(to.dir);
      if (from.location.root !== to.location.root) throw new WasiErrno(Errno.XDEV);
      refuseMissingDirectoryName(to.path, to.host);
      linkSync(from.host, to.host);
      return Errno.SUCCESS;
    },

    path_symlink(targetPtr: number, targetLen: number, fd: number, pathPtr: number, pathLen: number): number {
      const target = ctx.memory.string(targetPtr, targetLen);
      const { dir, host, path } = resolve(fd, pathPtr, pathLen, false);
      requireWritable(dir);
      refuseMissingDirectoryName(path, host);
      // A link to an absolute path could never be followed inside the sandbox; refuse it up front.
      if (target.startsWith("/")) throw new WasiErrno(Errno.PERM);
      symlinkSync(target, host);
      return Errno.SUCCESS;
    },

    path_readlink(fd: number, pathPtr: number, pathLen: number, buf: number, bufLen: number, usedPtr: number): number {
      const { host } = resolve(fd, pathPtr, pathLen, false);
      const target = ENCODER.encode(readlinkSync(host));
      const n = Math.min(target.length, bufLen);
      ctx.memory.slice(buf, n).set(target.subarray(0, n));
      ctx.memory.setU32(usedPtr, n);
      return Errno.SUCCESS;
    },
  };
}
