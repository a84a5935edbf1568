import type { IpAddressFamily, IpSocketAddress, SocketUse } from "../../network/index.js";
import { fail } from "./error-codes.js";

/** What one run's sockets ask of the run they belong to (see P2Network). */
export interface SocketRun {
  /** Fails with `access-denied` (telling the grant) unless the run's grant allows `use` of `address`. */
  check(use: SocketUse, address: IpSocketAddress): void;
  /** Keeps a socket to close when the run ends, if the guest has not dropped it by then. */
  adopt<T extends Closable>(socket: T): T;
  /** The guest dropped it. */
  forget(socket: Closable): void;
}

export interface Closable {
  [Symbol.dispose](): void;
}

/** Fails with `invalid-argument` unless `address` is of the socket's family. */
export function checkFamily(family: IpAddressFamily, address: IpSocketAddress): void {
  if (address.tag !== family) fail("invalid-argument");
}

/**
 * Fails with `invalid-argument` for an address no datagram or connection may go to, as 0.2's
 * sockets say: port 0, the unspecified address, and (IPv4) broadcast and multicast ones.
 */
export function checkRemote(family: IpAddressFamily, address: IpSocketAddress): void {
  checkFamily(family, address);
  if (address.val.port === 0) fail("invalid-argument");
  const parts: readonly number[] = address.val.address;
  if (parts.every((part) => part === 0)) fail("invalid-argument");
  if (address.tag === "ipv4" && (parts[0]! >= 224 || parts.every((part) => part === 255))) fail("invalid-argument");
  if (address.tag === "ipv6" && parts[0]! >= 0xff00) fail("invalid-argument");
}

/** node:net's family number for a socket of `family`. */
export function nodeFamily(family: IpAddressFamily): 4 | 6 {
  return family === "ipv4" ? 4 : 6;
}
