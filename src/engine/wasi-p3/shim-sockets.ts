import * as shim from "@bytecodealliance/preview3-shim/sockets";

/**
 * The bytecodealliance preview3-shim's wasi:sockets 0.3, as its Node build exports it (TypeScript
 * resolves the package's browser declarations, which export other things): the socket classes
 * over node:net and node:dgram on the shim's own thread, and the name lookup over node:dns.
 * Declared here only as far as Wisp's checks (sockets.ts) call them.
 */
interface ShimSocket {
  getLocalAddress(): unknown;
  getRemoteAddress(): unknown;
  getAddressFamily(): unknown;
  [Symbol.dispose](): void;
}

export interface ShimTcpSocket extends ShimSocket {
  bind(address: unknown): void;
  connect(address: unknown): Promise<void>;
  /** The accepted sockets: each read gives one, or null at the end. */
  listen(): { read(): Promise<unknown> };
}

export interface ShimUdpSocket extends ShimSocket {
  bind(address: unknown): void;
  connect(address: unknown): void;
  send(data: Uint8Array, address?: unknown): Promise<void>;
}

interface SocketClass<T> {
  new (): T;
  create(family: unknown): T;
  prototype: T;
}

const node = shim as unknown as {
  TcpSocket: SocketClass<ShimTcpSocket>;
  UdpSocket: SocketClass<ShimUdpSocket>;
  ipNameLookup: { resolveAddresses(name: string): Promise<unknown[]> };
};

export const { TcpSocket, UdpSocket, ipNameLookup } = node;

/** A refusal as jco's glue lowers a thrown error into a result's err: its `payload`. */
export class SocketRefused extends Error {
  readonly payload = { tag: "access-denied" };
}
