import { StreamClosed, type InputStream, type OutputStream } from "./streams.js";

/** An input over bytes already in memory (a small request body, a test's stdin). */
export class BufferInput implements InputStream {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array = new Uint8Array(0)) {}

  read(max: number): Uint8Array | null {
    return this.readNow(max);
  }

  readNow(max: number): Uint8Array | null {
    if (this.offset >= this.bytes.length) return null;
    const end = Math.min(this.bytes.length, this.offset + Math.max(0, max));
    const chunk = this.bytes.subarray(this.offset, end);
    this.offset = end;
    return chunk;
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
