import type { Socket } from "node:net";
import { Signal } from "./signal.js";
import { StreamFailed, type InputStream as ByteSource, type OutputStream as ByteSink } from "../../io/streams.js";

/** How much a socket's arrived bytes may pile up unread before it stops reading (TCP then holds the peer back). */
const UNREAD_HIGH = 64 * 1024;
/**
 * How much a guest may leave unsent on a socket. A guest that keeps to `check-write` never comes
 * near it; one that writes past it is told its write failed, rather than filling its worker's memory.
 */
const UNSENT_LIMIT = 16 * 1024 * 1024;

/**
 * What a TCP connection's peer sends, as a suspending guest's input-stream reads it: what has
 * arrived, without blocking the thread (`whenReady` settles when more has). It stops reading from
 * the socket while UNREAD_HIGH bytes wait unread, so a peer that floods a guest that does not read
 * fills no memory. A reset or error is the stream's failure once what arrived before it is read.
 */
export class SocketSource implements ByteSource {
  private readonly chunks: Buffer[] = [];
  private unread = 0;
  private ended = false;
  private failure: Error | undefined;
  private readonly changed = new Signal();

  constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      if (this.ended) return;
      this.chunks.push(chunk);
      this.unread += chunk.length;
      if (this.unread >= UNREAD_HIGH) socket.pause();
      this.changed.fire();
    });
    socket.on("end", () => this.end());
    socket.on("close", () => this.end());
    socket.on("error", (error) => {
      this.failure ??= error;
      this.changed.fire();
    });
    // An accepted connection arrives paused (see TcpSocket.startListen).
    socket.resume();
  }

  private end(): void {
    this.ended = true;
    this.changed.fire();
  }

  ready(): boolean {
    return this.chunks.length > 0 || this.ended || this.failure !== undefined;
  }

  readNow(max: number): Uint8Array | null {
    const first = this.chunks[0];
    if (!first) {
      if (this.failure) throw this.failure;
      return this.ended ? null : new Uint8Array(0);
    }
    let chunk: Uint8Array = first;
    if (first.length <= max) this.chunks.shift();
    else {
      this.chunks[0] = first.subarray(max);
      chunk = first.subarray(0, max);
    }
    this.unread -= chunk.length;
    if (this.unread < UNREAD_HIGH && !this.ended) this.socket.resume();
    return chunk;
  }

  read(max: number): Uint8Array | null {
    if (!this.ready()) throw new Error("a socket is waited for, never read by blocking the thread");
    return this.readNow(max);
  }

  whenReady(): Promise<void> {
    return this.ready() ? Promise.resolve() : this.changed.wait();
  }

  /** `shutdown(receive)`: what arrives from now on is dropped, and reads end once what came before is read. */
  stop(): void {
    this.ended = true;
    this.socket.resume();
    this.changed.fire();
  }
}

/**
 * What a guest sends on a TCP connection, as its output-stream writes it: writes never block the
 * thread; `capacity` is the room left in the socket's send buffer (what `check-write` allows) and
 * `whenWritable` settles once it drains. A reset connection fails the next write (StreamFailed).
 */
export class SocketSink implements ByteSink {
  private failure: Error | undefined;
  private ended = false;
  private readonly drained = new Signal();

  constructor(private readonly socket: Socket) {
    socket.on("drain", () => this.drained.fire());
    socket.on("close", () => this.drained.fire());
    socket.on("error", (error) => {
      this.failure ??= error;
      this.drained.fire();
    });
  }

  write(bytes: Uint8Array): void {
    if (this.ended) throw new StreamFailed("the socket's sending side was shut down");
    if (this.failure) throw new StreamFailed(this.failure.message);
    if (this.socket.writableLength + bytes.length > UNSENT_LIMIT) {
      this.failure = new Error(`the guest wrote past check-write: more than ${UNSENT_LIMIT >> 20} MiB unsent`);
      this.socket.destroy();
      throw new StreamFailed(this.failure.message);
    }
    this.socket.write(bytes);
  }

  capacity(): number {
    // A failed socket has room: the next write is where the guest learns of the failure.
    if (this.failure || this.socket.destroyed) return this.socket.writableHighWaterMark;
    return Math.max(0, this.socket.writableHighWaterMark - this.socket.writableLength);
  }

  whenWritable(): Promise<void> {
    return this.capacity() > 0 ? Promise.resolve() : this.drained.wait();
  }

  /** `shutdown(send)`: the peer sees the end of what the guest sent. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.socket.end();
  }
}
