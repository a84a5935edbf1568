import { constants, linkSync, lstatSync, lutimesSync, mkdirSync, openSync, readlinkSync, renameSync, rmdirSync, symlinkSync, unlinkSync, utimesSync } from "node:fs";
import { FdFlags, FstFlags, LookupFlags, OFlags, Rights } from "./constants.js";
import type { DirDescriptor } from "./descriptors.js";
import { Errno, WasiErrno } from "./errno.js";
import { chosenTime } from "./calls-fd.js";
import { writeFilestat } from "./filestat.js";
import { hostPathOf, resolveInTree, type TreeLocation } from "./sandbox-path.js";
import { ENCODER, type WasiContext } from "./wasi-context.js";

const READ_BITS = Rights.FD_READ | Rights.FD_READDIR;
const WRITE_BITS = Rights.FD_DATASYNC | Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;

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
export function pathCalls(ctx: WasiContext) {

  const resolve = (fd: number, ptr: number, len: number, follow: boolean): { dir: DirDescriptor; location: TreeLocation; host: string } => {
    const dir = ctx.fds.dir(fd);
    const location = resolveInTree(dir.location, ctx.memory.string(ptr, len), follow);
    return { dir, location, host: hostPathOf(location) };
  };

  return {
    path_open(
      fd: number, dirflags: number, pathPtr: number, pathLen: number, oflags: number,
      rightsBase: bigint, _rightsInheriting: bigint, fdflags: number, resultPtr: number,
    ): number {
      const { dir, location, host } = resolve(fd, pathPtr, pathLen, (dirflags & LookupFlags.SYMLINK_FOLLOW) !== 0);
      const existing = lstatOrUndefined(host);
      const create = (oflags & OFlags.CREAT) !== 0;
      const truncate = (oflags & OFlags.TRUNC) !== 0;
      const append = (fdflags & FdFlags.APPEND) !== 0;
      const readable = (rightsBase & READ_BITS) !== 0n;
      const writable = (rightsBase & WRITE_BITS) !== 0n || truncate || append;
      if (existing?.isSymbolicLink()) throw new WasiErrno(Errno.LOOP);
      if (existing && create && oflags & OFlags.EXCL) throw new WasiErrno(Errno.EXIST);
      if (!existing && !create) throw new WasiErrno(Errno.NOENT);
      if (oflags & OFlags.DIRECTORY && existing && !existing.isDirectory()) throw new WasiErrno(Errno.NOTDIR);
      if (existing?.isDirectory()) {
        if (writable) throw new WasiErrno(Errno.ISDIR);
        ctx.memory.setU32(resultPtr, ctx.fds.add({ kind: "dir", location, writable: dir.writable }));
        return Errno.SUCCESS;
      }
      if (oflags & OFlags.DIRECTORY) throw new WasiErrno(existing ? Errno.NOTDIR : Errno.NOENT);
      if (writable || (create && !existing)) requireWritable(dir);
      let flags = constants.O_NOFOLLOW | (writable ? (readable ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY);
      if (create) flags |= constants.O_CREAT;
      if (oflags & OFlags.EXCL) flags |= constants.O_EXCL;
      if (truncate) flags |= constants.O_TRUNC;
      const hostFd = openSync(host, flags, 0o666);
      ctx.memory.setU32(resultPtr, ctx.fds.add({ kind: "file", hostFd, location, readable: readable || !writable, writable, append, position: 0 }));
      return Errno.SUCCESS;
    },

    path_filestat_get(fd: number, flags: number, pathPtr: number, pathLen: number, ptr: number): number {
      const { host } = resolve(fd, pathPtr, pathLen, (flags & LookupFlags.SYMLINK_FOLLOW) !== 0);
      writeFilestat(ctx.memory, ptr, lstatSync(host, { bigint: true }));
      return Errno.SUCCESS;
    },

    path_filestat_set_times(fd: number, flags: number, pathPtr: number, pathLen: number, atim: bigint, mtim: bigint, fst: number): number {
      const { dir, host } = resolve(fd, pathPtr, pathLen, (flags & LookupFlags.SYMLINK_FOLLOW) !== 0);
      requireWritable(dir);
      const stats = lstatSync(host, { bigint: true });
      const atime = chosenTime(atim, fst, FstFlags.ATIM, FstFlags.ATIM_NOW, stats.atimeNs);
      const mtime = chosenTime(mtim, fst, FstFlags.MTIM, FstFlags.MTIM_NOW, stats.mtimeNs);
      if (stats.isSymbolicLink()) lutimesSync(host, atime, mtime);
      else utimesSync(host, atime, mtime);
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
      const path = ctx.memory.string(pathPtr, pathLen);
      const { dir, host } = resolve(fd, pathPtr, pathLen, false);
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

    path_link(oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
      const from = resolve(oldFd, oldPtr, oldLen, (oldFlags & LookupFlags.SYMLINK_FOLLOW) !== 0);
      const to = resolve(newFd, newPtr, newLen, false);
      requireWritable(to.dir);
      if (from.location.root !== to.location.root) throw new WasiErrno(Errno.XDEV);
      linkSync(from.host, to.host);
      return Errno.SUCCESS;
    },

    path_symlink(targetPtr: number, targetLen: number, fd: number, pathPtr: number, pathLen: number): number {
      const target = ctx.memory.string(targetPtr, targetLen);
      const { dir, host } = resolve(fd, pathPtr, pathLen, false);
      requireWritable(dir);
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
