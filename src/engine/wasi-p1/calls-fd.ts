import {
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  futimesSync,
  lstatSync,
  lutimesSync,
  readSync,
  readdirSync,
  statSync,
  writeSync,
} from "node:fs";
import { byteLength } from "../io/byte-length.js";
import { FdFlags, FileType, Whence } from "./constants.js";
import type { FileDescriptor } from "./descriptors.js";
import { Errno, WasiErrno } from "./errno.js";
import { fileTypeOf, writeFilestat, writeStreamFilestat } from "./filestat.js";
import { checkFstFlags } from "./guest-times.js";
import { rightsOf } from "./rights.js";
import { hostPathOf } from "./sandbox-path.js";
import { ENCODER, type WasiCallContext } from "./wasi-context.js";

/** Copies `bytes` into the iovecs, starting `offset` bytes into them (the caller sizes `bytes` to fit). */
function scatter(bytes: Uint8Array, buffers: Uint8Array[], offset: number): void {
  let copied = 0;
  for (const buffer of buffers) {
    if (copied >= bytes.length) return;
    if (offset >= buffer.length) {
      offset -= buffer.length;
      continue;
    }
    const part = bytes.subarray(copied, copied + buffer.length - offset);
    buffer.set(part, offset);
    copied += part.length;
    offset = 0;
  }
}

/** Reads into the iovecs from `position` (a file) until they are full or the file ends. */
function readFile(file: FileDescriptor, buffers: Uint8Array[], position: number): number {
  let done = 0;
  for (const buffer of buffers) {
    let filled = 0;
    while (filled < buffer.length) {
      const n = readSync(file.hostFd, buffer, filled, buffer.length - filled, position + done + filled);
      if (n === 0) return done + filled;
      filled += n;
    }
    done += filled;
  }
  return done;
}

function writeFile(file: FileDescriptor, buffers: Uint8Array[], position: number): number {
  let done = 0;
  for (const buffer of buffers) {
    let written = 0;
    while (written < buffer.length)
      written += writeSync(file.hostFd, buffer, written, buffer.length - written, position + done + written);
    done += written;
  }
  return done;
}

/** fd_* calls: reading, writing, seeking and describing open descriptors. */
export function fdCalls(ctx: WasiCallContext) {
  return {
    fd_read(fd: number, iovs: number, iovsLen: number, nreadPtr: number): number {
      const descriptor = ctx.fds.get(fd);
      const buffers = ctx.memory.iovecs(iovs, iovsLen);
      let n = 0;
      if (descriptor.kind === "stream") {
        if (!descriptor.input) throw new WasiErrno(Errno.BADF);
        const wanted = byteLength(buffers);
        ctx.charge(wanted);
        let chunk = wanted === 0 ? null : descriptor.input.read(wanted);
        // The read may have grown nothing, but re-fetch views in case the memory moved meanwhile.
        const live = chunk ? ctx.memory.iovecs(iovs, iovsLen) : buffers;
        // Then whatever more is there already: a body kept as the chunks it arrived in (see
        // BufferInput) fills the guest's buffers in one call, as one whole buffer did, for a
        // guest that reads its declared length once.
        while (chunk && chunk.length > 0) {
          scatter(chunk, live, n);
          n += chunk.length;
          if (n >= wanted) break;
          chunk = descriptor.input.readNow(wanted - n);
        }
      } else if (descriptor.kind === "file") {
        if (!descriptor.readable) throw new WasiErrno(Errno.BADF);
        ctx.charge(byteLength(buffers));
        n = readFile(descriptor, buffers, descriptor.position);
        descriptor.position += n;
      } else {
        throw new WasiErrno(Errno.ISDIR);
      }
      ctx.memory.setU32(nreadPtr, n);
      return Errno.SUCCESS;
    },

    fd_write(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
      const descriptor = ctx.fds.get(fd);
      let n: number;
      if (descriptor.kind === "stream") {
        const { output } = descriptor;
        if (!output) throw new WasiErrno(Errno.BADF);
        n = ctx.memory.iovecsLength(iovs, iovsLen);
        ctx.charge(n);
        // A copy: the consumer may keep the bytes after the guest's memory is reused. Only what it
        // keeps (a log past its cap keeps nothing), though the whole write is reported done.
        const bytes = ctx.memory.gather(iovs, iovsLen, output.keeps?.() ?? n);
        if (bytes.length > 0) output.write(bytes);
      } else if (descriptor.kind === "file") {
        const buffers = ctx.memory.iovecs(iovs, iovsLen);
        if (!descriptor.writable) throw new WasiErrno(Errno.BADF);
        ctx.charge(byteLength(buffers));
        if (descriptor.append) descriptor.position = Number(fstatSync(descriptor.hostFd).size);
        n = writeFile(descriptor, buffers, descriptor.position);
        descriptor.position += n;
      } else {
        throw new WasiErrno(Errno.ISDIR);
      }
      ctx.memory.setU32(nwrittenPtr, n);
      return Errno.SUCCESS;
    },

    fd_pread(fd: number, iovs: number, iovsLen: number, offset: bigint, nreadPtr: number): number {
      const file = ctx.fds.file(fd);
      if (!file.readable) throw new WasiErrno(Errno.BADF);
      const buffers = ctx.memory.iovecs(iovs, iovsLen);
      ctx.charge(byteLength(buffers));
      ctx.memory.setU32(nreadPtr, readFile(file, buffers, Number(offset)));
      return Errno.SUCCESS;
    },

    fd_pwrite(fd: number, iovs: number, iovsLen: number, offset: bigint, nwrittenPtr: number): number {
      const file = ctx.fds.file(fd);
      if (!file.writable) throw new WasiErrno(Errno.BADF);
      const buffers = ctx.memory.iovecs(iovs, iovsLen);
      ctx.charge(byteLength(buffers));
      ctx.memory.setU32(nwrittenPtr, writeFile(file, buffers, Number(offset)));
      return Errno.SUCCESS;
    },

    fd_seek(fd: number, offset: bigint, whence: number, resultPtr: number): number {
      const file = ctx.fds.file(fd);
      let base: number;
      if (whence === Whence.SET) base = 0;
      else if (whence === Whence.CUR) base = file.position;
      else if (whence === Whence.END) base = Number(fstatSync(file.hostFd).size);
      else throw new WasiErrno(Errno.INVAL);
      const next = base + Number(offset);
      if (next < 0) throw new WasiErrno(Errno.INVAL);
      file.position = next;
      ctx.memory.setU64(resultPtr, next);
      return Errno.SUCCESS;
    },

    fd_tell(fd: number, resultPtr: number): number {
      ctx.memory.setU64(resultPtr, ctx.fds.file(fd).position);
      return Errno.SUCCESS;
    },

    fd_close(fd: number): number {
      ctx.fds.close(fd);
      return Errno.SUCCESS;
    },

    fd_renumber(from: number, to: number): number {
      ctx.fds.renumber(from, to);
      return Errno.SUCCESS;
    },

    fd_fdstat_get(fd: number, ptr: number): number {
      const descriptor = ctx.fds.get(fd);
      let type: number = FileType.CHARACTER_DEVICE;
      let flags = 0;
      const [base, inheriting] = rightsOf(descriptor);
      if (descriptor.kind === "dir") {
        type = FileType.DIRECTORY;
      } else if (descriptor.kind === "file") {
        type = FileType.REGULAR_FILE;
        flags = (descriptor.append ? FdFlags.APPEND : 0) | descriptor.syncFlags;
      }
      ctx.memory.slice(ptr, 24).fill(0);
      ctx.memory.setU8(ptr, type);
      ctx.memory.setU16(ptr + 2, flags);
      ctx.memory.setU64(ptr + 8, base);
      ctx.memory.setU64(ptr + 16, inheriting);
      return Errno.SUCCESS;
    },

    fd_fdstat_set_flags(fd: number, flags: number): number {
      const descriptor = ctx.fds.get(fd);
      if (descriptor.kind === "file") descriptor.append = (flags & FdFlags.APPEND) !== 0;
      return Errno.SUCCESS;
    },

    // Rights follow from how a descriptor was opened (see rights.ts); like wasmtime, Wisp does not
    // narrow them per descriptor, and says so rather than pretend it did.
    fd_fdstat_set_rights: (fd: number, _base: bigint, _inheriting: bigint) => (ctx.fds.get(fd), Errno.NOTSUP),

    fd_filestat_get(fd: number, ptr: number): number {
      const descriptor = ctx.fds.get(fd);
      if (descriptor.kind === "stream") writeStreamFilestat(ctx.memory, ptr);
      else {
        const stats =
          descriptor.kind === "file"
            ? fstatSync(descriptor.hostFd, { bigint: true })
            : statSync(hostPathOf(descriptor.location), { bigint: true });
        writeFilestat(ctx.memory, ptr, stats, ctx.times.seen(stats));
      }
      return Errno.SUCCESS;
    },

    fd_filestat_set_size(fd: number, size: bigint): number {
      const file = ctx.fds.file(fd);
      if (!file.writable) throw new WasiErrno(Errno.BADF);
      ftruncateSync(file.hostFd, Number(size));
      return Errno.SUCCESS;
    },

    /** Times are metadata: a writable tree lets them change through any descriptor, as futimens does. */
    fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, flags: number): number {
      checkFstFlags(flags);
      const descriptor = ctx.fds.get(fd);
      if (descriptor.kind === "stream") throw new WasiErrno(Errno.BADF);
      if (descriptor.kind === "file") {
        if (!descriptor.treeWritable) throw new WasiErrno(Errno.ROFS);
        const stat = () => fstatSync(descriptor.hostFd, { bigint: true });
        ctx.times.set(stat(), atim, mtim, flags, (a, m) => futimesSync(descriptor.hostFd, a, m), stat);
      } else {
        if (!descriptor.writable) throw new WasiErrno(Errno.ROFS);
        const host = hostPathOf(descriptor.location);
        const stat = () => lstatSync(host, { bigint: true });
        ctx.times.set(stat(), atim, mtim, flags, (a, m) => lutimesSync(host, a, m), stat);
      }
      return Errno.SUCCESS;
    },

    fd_advise: (fd: number) => (ctx.fds.file(fd), Errno.SUCCESS),
    fd_allocate: (fd: number) => (ctx.fds.file(fd), Errno.NOTSUP),

    fd_sync(fd: number): number {
      const descriptor = ctx.fds.get(fd);
      if (descriptor.kind === "file") fsyncSync(descriptor.hostFd);
      return Errno.SUCCESS;
    },
    fd_datasync(fd: number): number {
      const descriptor = ctx.fds.get(fd);
      if (descriptor.kind === "file") fdatasyncSync(descriptor.hostFd);
      return Errno.SUCCESS;
    },

    fd_prestat_get(fd: number, ptr: number): number {
      const descriptor = ctx.fds.get(fd);
      if (descriptor.kind !== "dir" || descriptor.preopenName === undefined) throw new WasiErrno(Errno.BADF);
      ctx.memory.setU32(ptr, 0);
      ctx.memory.setU32(ptr + 4, ENCODER.encode(descriptor.preopenName).length);
      return Errno.SUCCESS;
    },

    fd_prestat_dir_name(fd: number, ptr: number, len: number): number {
      const descriptor = ctx.fds.get(fd);
      if (descriptor.kind !== "dir" || descriptor.preopenName === undefined) throw new WasiErrno(Errno.BADF);
      const name = ENCODER.encode(descriptor.preopenName);
      if (len < name.length) throw new WasiErrno(Errno.NAMETOOLONG);
      ctx.memory.slice(ptr, name.length).set(name);
      return Errno.SUCCESS;
    },

    /** Entries from `cookie` on, packed as `dirent` + name; a full buffer tells the guest to call again. */
    fd_readdir(fd: number, buf: number, bufLen: number, cookie: bigint, bufUsedPtr: number): number {
      const dir = ctx.fds.dir(fd);
      const host = hostPathOf(dir.location);
      const self = lstatSync(host, { bigint: true });
      const parent = dir.location.segments.length > 0 ? lstatSync(`${host}/..`, { bigint: true }) : self;
      const entries: Array<{ name: string; ino: bigint; type: number }> = [
        { name: ".", ino: self.ino, type: FileType.DIRECTORY },
        { name: "..", ino: parent.ino, type: FileType.DIRECTORY },
      ];
      for (const name of readdirSync(host).sort()) {
        try {
          const stats = lstatSync(`${host}/${name}`, { bigint: true });
          entries.push({ name, ino: stats.ino, type: fileTypeOf(stats) });
        } catch {
          // removed while listing
        }
      }
      let used = 0;
      for (let i = Number(cookie); i < entries.length && used < bufLen; i++) {
        const entry = entries[i]!;
        const name = ENCODER.encode(entry.name);
        const record = new Uint8Array(24 + name.length);
        const view = new DataView(record.buffer);
        view.setBigUint64(0, BigInt(i + 1), true);
        view.setBigUint64(8, entry.ino, true);
        view.setUint32(16, name.length, true);
        view.setUint8(20, entry.type);
        record.set(name, 24);
        const room = Math.min(record.length, bufLen - used);
        ctx.memory.slice(buf + used, room).set(record.subarray(0, room));
        used += room;
      }
      ctx.memory.setU32(bufUsedPtr, used);
      return Errno.SUCCESS;
    },
  };
}
