import { closeSync, fstatSync, openSync, renameSync, statSync, writeSync } from "node:fs";

/** A log file may grow to this size; then it becomes `NAME.1` (replacing the one before) and a new one starts. */
export const LOG_FILE_BYTES = 16 << 20;

/** Own writes between two looks at the file's real size (other threads append to it too). */
const CHECK_EVERY = 64 << 10;

/**
 * An append-only log file with a size cap: at most LOG_FILE_BYTES in the file and as much again
 * in `PATH.1`, whatever a guest writes. Every worker thread and the main thread append to the same
 * path through their own descriptors: each looks at the real size every CHECK_EVERY bytes it
 * wrote, and the one that finds it past the cap renames it, unless another thread did already
 * (the path then names a new file); either way it reopens the path. So the file can pass the cap
 * by at most CHECK_EVERY per thread.
 */
export class RotatingFile {
  private fd: number;
  private sinceCheck = 0;

  constructor(
    readonly path: string,
    private readonly capBytes = LOG_FILE_BYTES,
  ) {
    this.fd = openSync(path, "a");
    this.sinceCheck = CHECK_EVERY;
  }

  write(data: Uint8Array | string): void {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    if (this.sinceCheck >= CHECK_EVERY) this.rotateIfFull();
    writeSync(this.fd, bytes);
    this.sinceCheck += bytes.length;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotateIfFull(): void {
    this.sinceCheck = 0;
    const mine = fstatSync(this.fd);
    if (mine.size < this.capBytes) return;
    try {
      // Only the file this descriptor writes is renamed: another thread may have rotated already.
      if (statSync(this.path).ino === mine.ino) renameSync(this.path, `${this.path}.1`);
    } catch {
      // The path is gone or taken: reopening below makes a new file either way.
    }
    closeSync(this.fd);
    this.fd = openSync(this.path, "a");
  }
}
