import { readSync, writeSync } from "node:fs";
import type { InputStream, OutputStream } from "./streams.js";

/**
 * Streams over the process's own file descriptors, for `wisp run`, where a command module's
 * stdio is the process's stdio. Blocking reads are what a command module expects.
 */
export class FdInput implements InputStream {
  private ended = false;
  constructor(private readonly fd: number) {}

  read(max: number): Uint8Array | null {
    if (this.ended) return null;
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(max, 1 << 16)));
    for (;;) {
      try {
        const n = readSync(this.fd, buffer, 0, buffer.length, null);
        if (n === 0) {
          this.ended = true;
          return null;
        }
        return buffer.subarray(0, n);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") continue; // a non-blocking tty/pipe: spin until data or EOF
        if (code === "EOF") {
          this.ended = true;
          return null;
        }
        throw error;
      }
    }
  }

  readNow(max: number): Uint8Array | null {
    return this.read(max);
  }

  ready(): boolean {
    return true;
  }
}

export class FdOutput implements OutputStream {
  constructor(private readonly fd: number) {}

  write(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      }
    }
  }

  capacity(): number {
    return 1 << 16;
  }

  close(): void {}
}
