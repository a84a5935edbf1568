import { closeSync } from "node:fs";
import type { InputStream, OutputStream } from "../io/streams.js";
import { Errno, WasiErrno } from "./errno.js";
import type { TreeLocation } from "./sandbox-path.js";

/** stdin/stdout/stderr: byte streams, no seeking. */
export interface StreamDescriptor {
  kind: "stream";
  input?: InputStream;
  output?: OutputStream;
}

/** A directory inside a granted tree (a preopen, or one the guest opened below it). */
export interface DirDescriptor {
  kind: "dir";
  location: TreeLocation;
  writable: boolean;
  /** The guest path of a preopen (`fd_prestat_dir_name`); absent for directories opened later. */
  preopenName?: string;
}

/** A regular file opened on the host; the position is ours, so reads and writes pass it explicitly. */
export interface FileDescriptor {
  kind: "file";
  hostFd: number;
  location: TreeLocation;
  readable: boolean;
  writable: boolean;
  /** Whether the file's tree is writable: metadata (times) may change even through a read-only descriptor. */
  treeWritable: boolean;
  append: boolean;
  /** The DSYNC, RSYNC and SYNC fdflags it was opened with (the host file was opened to honour them). */
  syncFlags: number;
  position: number;
}

export type Descriptor = StreamDescriptor | DirDescriptor | FileDescriptor;

/** The guest's fd table: numbers are reused lowest-first, as POSIX does. */
export class DescriptorTable {
  private readonly slots: Array<Descriptor | undefined> = [];

  add(descriptor: Descriptor): number {
    let fd = this.slots.indexOf(undefined);
    if (fd === -1) fd = this.slots.length;
    this.slots[fd] = descriptor;
    return fd;
  }

  get(fd: number): Descriptor {
    const descriptor = this.slots[fd];
    if (!descriptor) throw new WasiErrno(Errno.BADF);
    return descriptor;
  }

  file(fd: number): FileDescriptor {
    const descriptor = this.get(fd);
    if (descriptor.kind === "dir") throw new WasiErrno(Errno.ISDIR);
    if (descriptor.kind !== "file") throw new WasiErrno(Errno.SPIPE);
    return descriptor;
  }

  dir(fd: number): DirDescriptor {
    const descriptor = this.get(fd);
    if (descriptor.kind !== "dir") throw new WasiErrno(Errno.NOTDIR);
    return descriptor;
  }

  close(fd: number): void {
    const descriptor = this.get(fd);
    this.slots[fd] = undefined;
    if (descriptor.kind === "file") closeSync(descriptor.hostFd);
  }

  renumber(from: number, to: number): void {
    const descriptor = this.get(from);
    this.get(to);
    if (from === to) return;
    this.close(to);
    this.slots[to] = descriptor;
    this.slots[from] = undefined;
  }

  /** Closes every host file the guest left open (the instance is done). */
  closeAll(): void {
    for (const descriptor of this.slots) {
      if (descriptor?.kind === "file") {
        try {
          closeSync(descriptor.hostFd);
        } catch {
          // already closed
        }
      }
    }
    this.slots.length = 0;
  }
}
