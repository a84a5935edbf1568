import {
  NO_NETWORK,
  ResolvedNames,
  addressText,
  ipOf,
  ipText,
  type IpAddress,
  type IpAddressFamily,
  type IpSocketAddress,
  type NetworkGrant,
  type SocketUse,
} from "../../network/index.js";
import type { UnversionedImports } from "../../component/host-implementation.js";
import type { ImportObject as WasiImports } from "../../../generated/wasi@0.2.12/world.js";
import { fail } from "./error-codes.js";
import { ResolveAddressStream, resolveAddresses, type LookupRun } from "./name-lookup.js";
import { Network } from "./network.js";
import type { Closable, SocketRun } from "./socket-run.js";
import { TcpSocket } from "./tcp-socket.js";
import { IncomingDatagramStream, OutgoingDatagramStream, UdpSocket } from "./udp-socket.js";

type SocketImports = Pick<
  UnversionedImports<WasiImports>,
  | "wasi:sockets/network"
  | "wasi:sockets/instance-network"
  | "wasi:sockets/tcp"
  | "wasi:sockets/tcp-create-socket"
  | "wasi:sockets/udp"
  | "wasi:sockets/udp-create-socket"
  | "wasi:sockets/ip-name-lookup"
>;

/**
 * wasi:sockets 0.2 for one run (a request, a command): TCP and UDP sockets over node:net and
 * node:dgram, name lookups over node:dns, each bind, connect, datagram and lookup checked against
 * the run's grant first, as wasmtime's socket address check (and so Spin's `allowed_outbound_hosts`)
 * does. Only a guest whose glue suspends can wait on them (see Pollable); any other gets
 * NO_NETWORK. What the guest did not drop is closed when the run ends (`close`).
 */
export class P2Network implements SocketRun, LookupRun {
  private readonly open = new Set<Closable>();
  private readonly names = new ResolvedNames();
  private readonly network = new Network();

  constructor(private readonly grant: NetworkGrant = NO_NETWORK) {}

  check(use: SocketUse, address: IpSocketAddress): void {
    const text = addressText(address);
    if (this.grant.allows(use, text, this.names.of(ipText(ipOf(address))))) return;
    this.grant.refused?.(use, text);
    fail("access-denied");
  }

  checkLookup(name: string): void {
    if (this.grant.resolves(name)) return;
    this.grant.refused?.("ip-name-lookup", name);
    fail("access-denied");
  }

  resolved(name: string, addresses: readonly IpAddress[]): void {
    for (const address of addresses) this.names.add(name, ipText(address));
  }

  adopt<T extends Closable>(socket: T): T {
    this.open.add(socket);
    return socket;
  }

  forget(socket: Closable): void {
    this.open.delete(socket);
  }

  imports(): SocketImports {
    const family = (addressFamily: IpAddressFamily) => {
      if (addressFamily !== "ipv4" && addressFamily !== "ipv6") fail("not-supported");
      return addressFamily;
    };
    return {
      "wasi:sockets/network": { Network },
      "wasi:sockets/instance-network": { instanceNetwork: () => this.network },
      "wasi:sockets/tcp": { TcpSocket },
      "wasi:sockets/tcp-create-socket": {
        createTcpSocket: (addressFamily: IpAddressFamily) => this.adopt(new TcpSocket(this, family(addressFamily))),
      },
      "wasi:sockets/udp": { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
      "wasi:sockets/udp-create-socket": {
        createUdpSocket: (addressFamily: IpAddressFamily) => this.adopt(new UdpSocket(this, family(addressFamily))),
      },
      "wasi:sockets/ip-name-lookup": {
        ResolveAddressStream,
        resolveAddresses: (_network: Network, name: string) => resolveAddresses(this, name),
      },
    };
  }

  /** The run is over: every socket it left open is closed. */
  close(): void {
    for (const socket of [...this.open]) socket[Symbol.dispose]();
    this.open.clear();
  }
}
