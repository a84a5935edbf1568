import {
  SocketRefused,
  TcpSocket as ShimTcpSocket,
  UdpSocket as ShimUdpSocket,
  ipNameLookup,
  type ShimTcpSocket as ShimTcp,
} from "./shim-sockets.js";
import type * as Types from "../../generated/wasi-sockets@0.3.0/interfaces/wasi-sockets-types.js";

/** What a guest does with an address, as wasmtime's (and Spin's) socket address check names it. */
export type SocketUse = "tcp-bind" | "tcp-connect" | "udp-bind" | "udp-connect" | "udp-send";

/**
 * Where one run's sockets may go. `address` is the socket address as text (`127.0.0.1:6379`,
 * `[::1]:80`); `names` the host names this run resolved to its IP (ip-name-lookup), so a grant
 * written with a name allows the addresses the guest looked up for it.
 */
export interface NetworkGrant {
  allows(use: SocketUse, address: string, names: readonly string[]): boolean;
  /** Whether the guest may look `name` up. */
  resolves(name: string): boolean;
  /** Told of each refusal, in words a user can act on (a served component's log). */
  refused?(use: SocketUse | "ip-name-lookup", target: string): void;
}

/** No network at all: what a run gets unless granted (wasmtime without `-S inherit-network`). */
export const NO_NETWORK: NetworkGrant = { allows: () => false, resolves: () => false };

/**
 * A command's network as wasmtime grants it: `inherit` (`-S inherit-network`) every address,
 * `lookups` (`-S allow-ip-name-lookup`) name lookups; neither by default.
 */
export function commandNetwork({ inherit, lookups }: { inherit: boolean; lookups: boolean }): NetworkGrant {
  return { allows: () => inherit, resolves: () => lookups };
}

/** An IP address as text: `a.b.c.d`, or `x:…:x`. */
function ipText(address: Types.IpAddress): string {
  return address.tag === "ipv4" ? address.val.join(".") : address.val.map((part) => part.toString(16)).join(":");
}

/** The IP address of a socket address. */
function ipOf(address: Types.IpSocketAddress): string {
  return ipText({ tag: address.tag, val: address.val.address } as Types.IpAddress);
}

/** An IP socket address as text: `a.b.c.d:port`, `[x:…:x]:port`. */
export function addressText(address: Types.IpSocketAddress): string {
  const ip = ipOf(address);
  return address.tag === "ipv4" ? `${ip}:${address.val.port}` : `[${ip}]:${address.val.port}`;
}

/** What listening on an unbound socket binds to (0.3's listen binds implicitly): any address, any port. */
function wildcard(family: Types.IpAddressFamily): Types.IpSocketAddress {
  return family === "ipv4"
    ? { tag: "ipv4", val: { port: 0, address: [0, 0, 0, 0] } }
    : { tag: "ipv6", val: { port: 0, flowInfo: 0, address: [0, 0, 0, 0, 0, 0, 0, 0], scopeId: 0 } };
}

type Disposable = { [Symbol.dispose](): void };

/**
 * wasi:sockets 0.3 for one run: TCP and UDP sockets (the bytecodealliance preview3-shim's, over
 * node:net and node:dgram on its own thread) with every bind, connect, listen and datagram's
 * address checked against the run's grant first, as wasmtime's socket address check does: a
 * refused one is `access-denied`, and the guest's sockets never open it. The sockets a run made
 * are closed when its guest drops them, and at the latest when the run ends (`close`).
 */
export class P3Network {
  private readonly open = new Set<Disposable>();
  /** IP → the names this run resolved to it. */
  private readonly resolved = new Map<string, Set<string>>();

  constructor(private readonly grant: NetworkGrant) {}

  private check(use: SocketUse, address: Types.IpSocketAddress): void {
    const text = addressText(address);
    if (this.grant.allows(use, text, [...(this.resolved.get(ipOf(address)) ?? [])])) return;
    this.grant.refused?.(use, text);
    throw new SocketRefused(`access denied: ${use} ${text}`);
  }

  /** A socket the shim made, given the checked class's behaviour and kept for `close`. */
  private adopt<T extends Disposable>(socket: Disposable, prototype: T): T {
    // The shim's sockets keep their state in private fields, which a prototype swap keeps: the
    // checked class's methods run over the shim's own socket (and the glue's instanceof holds).
    Object.setPrototypeOf(socket, prototype);
    this.open.add(socket);
    return socket as T;
  }

  imports() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the classes below are the glue's, built per run
    const network = this;

    class TcpSocket extends ShimTcpSocket {
      static override create(family: Types.IpAddressFamily): TcpSocket {
        return network.adopt(ShimTcpSocket.create(family), TcpSocket.prototype);
      }
      override bind(address: Types.IpSocketAddress): void {
        network.check("tcp-bind", address);
        super.bind(address);
      }
      override async connect(address: Types.IpSocketAddress): Promise<void> {
        network.check("tcp-connect", address);
        return super.connect(address);
      }
      override listen() {
        if (!isBound(this)) network.check("tcp-bind", wildcard(this.getAddressFamily() as Types.IpAddressFamily));
        const accepted = super.listen();
        return (async function* () {
          for (let socket = await accepted.read(); socket !== null; socket = await accepted.read())
            yield network.adopt(socket as Disposable, TcpSocket.prototype);
        })() as unknown as ReturnType<ShimTcp["listen"]>;
      }
      override [Symbol.dispose](): void {
        network.open.delete(this);
        super[Symbol.dispose]();
      }
    }

    class UdpSocket extends ShimUdpSocket {
      static override create(family: Types.IpAddressFamily): UdpSocket {
        return network.adopt(ShimUdpSocket.create(family), UdpSocket.prototype);
      }
      override bind(address: Types.IpSocketAddress): void {
        network.check("udp-bind", address);
        super.bind(address);
      }
      override connect(address: Types.IpSocketAddress): void {
        network.check("udp-connect", address);
        super.connect(address);
      }
      override async send(data: Uint8Array, address?: Types.IpSocketAddress | null): Promise<void> {
        // Without an address the datagram goes where connect (checked) pointed the socket.
        if (address) network.check("udp-send", address);
        return super.send(data, address);
      }
      override [Symbol.dispose](): void {
        network.open.delete(this);
        super[Symbol.dispose]();
      }
    }

    return {
      "wasi:sockets/types": { TcpSocket, UdpSocket },
      "wasi:sockets/ip-name-lookup": {
        resolveAddresses: async (name: string): Promise<Types.IpAddress[]> => {
          if (!network.grant.resolves(name)) {
            network.grant.refused?.("ip-name-lookup", name);
            throw new SocketRefused(`access denied: ip-name-lookup ${name}`);
          }
          const addresses = (await ipNameLookup.resolveAddresses(name)) as Types.IpAddress[];
          for (const address of addresses) {
            const ip = ipText(address);
            network.resolved.set(ip, (network.resolved.get(ip) ?? new Set()).add(name.toLowerCase()));
          }
          return addresses;
        },
      },
    };
  }

  /** Closes every socket the run made and did not drop. */
  close(): void {
    for (const socket of this.open) socket[Symbol.dispose]();
    this.open.clear();
  }
}

/** Whether a TCP socket has a local address (bound, explicitly or by connect). */
function isBound(socket: ShimTcp): boolean {
  try {
    socket.getLocalAddress();
    return true;
  } catch {
    return false;
  }
}
