import type { BigIntStats } from "node:fs";
import { FileType } from "./constants.js";
import type { GuestMemory } from "./guest-memory.js";
import type { SeenTimes } from "./guest-times.js";

export function fileTypeOf(stats: BigIntStats): number {
  if (stats.isFile()) return FileType.REGULAR_FILE;
  if (stats.isDirectory()) return FileType.DIRECTORY;
  if (stats.isSymbolicLink()) return FileType.SYMBOLIC_LINK;
  if (stats.isCharacterDevice()) return FileType.CHARACTER_DEVICE;
  if (stats.isBlockDevice()) return FileType.BLOCK_DEVICE;
  if (stats.isSocket()) return FileType.SOCKET_STREAM;
  return FileType.UNKNOWN;
}

/** Writes a preview1 `filestat` (64 bytes), with the access and modification times the guest sees. */
export function writeFilestat(memory: GuestMemory, ptr: number, stats: BigIntStats, seen: SeenTimes): void {
  memory.setU64(ptr, stats.dev);
  memory.setU64(ptr + 8, stats.ino);
  memory.setU8(ptr + 16, fileTypeOf(stats));
  memory.setU64(ptr + 24, stats.nlink);
  memory.setU64(ptr + 32, stats.size);
  memory.setU64(ptr + 40, seen.atimeNs);
  memory.setU64(ptr + 48, seen.mtimeNs);
  memory.setU64(ptr + 56, stats.ctimeNs);
}

/** A `filestat` for stdio streams: a character device with nothing else known. */
export function writeStreamFilestat(memory: GuestMemory, ptr: number): void {
  memory.slice(ptr, 64).fill(0);
  memory.setU8(ptr + 16, FileType.CHARACTER_DEVICE);
}
