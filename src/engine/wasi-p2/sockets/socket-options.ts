import type { IpAddressFamily } from "../../network/index.js";
import { fail } from "./error-codes.js";

/**
 * What a TCP and a UDP socket share: the family, and the options a guest may set and read back
 * (buffer sizes are kept as asked, the system sizing node:net's own).
 */
export abstract class SocketOptions {
  private receiveBuffer = 65536n;
  private sendBuffer = 65536n;

  constructor(readonly family: IpAddressFamily) {}

  addressFamily(): IpAddressFamily {
    return this.family;
  }

  /** rc-2023-11-10's: an IPv6 socket is IPv6-only, always (0.2.0 dropped the choice). */
  ipv6Only(): boolean {
    if (this.family !== "ipv6") fail("not-supported");
    return true;
  }
  setIpv6Only(value: boolean): void {
    if (this.family !== "ipv6" || !value) fail("not-supported");
  }

  receiveBufferSize(): bigint {
    return this.receiveBuffer;
  }
  setReceiveBufferSize(value: bigint): void {
    if (value === 0n) fail("invalid-argument");
    this.receiveBuffer = value;
  }
  sendBufferSize(): bigint {
    return this.sendBuffer;
  }
  setSendBufferSize(value: bigint): void {
    if (value === 0n) fail("invalid-argument");
    this.sendBuffer = value;
  }
}
