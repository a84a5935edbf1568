import { StreamClosed, type InputStream, type OutputStream } from "./streams.js";

/**
 * An input over bytes already in memory (a small request body, a test's stdin), kept as the
 * chunks they arrived in: a read returns part of one chunk, never a join of two, so a body read
 * off the socket in pieces reaches the guest without being copied into one buffer first.
 */
export class BufferInput implements InputStream {
  private readonly chunks: readonly Uint8Array[];
  private index = 0;
  private offset = 0;

  constructor(bytes: Uint8Array | readonly Uint8Array[] = []) {
    this.chunks = bytes instanceof Uint8Array ? [bytes] : bytes;
  }

  read(max: number): Uint8Array | null {
    return this.readNow(max);
  }

  readNow(max: number): Uint8Array | null {
    let chunk = this.chunks[this.index];
    while (chunk && this.offset >= chunk.length) {
      chunk = this.chunks[++this.index];
      this.offset = 0;
    }
    if (!chunk) return null;
    const end = Math.min(chunk.length, this.offset + Math.max(0, max));
    const part = chunk.subarray(this.offset, end);
    this.offset = end;
    return part;
  }

  ready(): boolean {
    return true;
  }
}

/** An output that keeps everything written to it (tests, small captured outputs). */
export class CollectingOutput implements OutputStream {
  private readonly chunks: Uint8Array[] = [];
  private closed = false;

  write(bytes: Uint8Array): void {
    if (this.closed) throw new StreamClosed("write after close");
    this.chunks.push(bytes.slice());
  }

  capacity(): number {
    return this.closed ? 0 : 1 << 20;
  }

  close(): void {
    this.closed = true;
  }

  /** Nothing was written (a guest that logs nothing: most requests). */
  get empty(): boolean {
    return this.chunks.length === 0;
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** An output that drops what it is given (a guest's stdout when nobody listens). */
export class DiscardOutput implements OutputStream {
  write(): void {}
  capacity(): number {
    return 1 << 20;
  }
  close(): void {}
}
