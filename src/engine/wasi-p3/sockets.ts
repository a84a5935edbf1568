import {
  SocketRefused,
  TcpSocket as ShimTcpSocket,
  UdpSocket as ShimUdpSocket,
  ipNameLookup,
  type ShimTcpSocket as ShimTcp,
} from "./shim-sockets.js";
import type * as Types from "../../generated/wasi-sockets@0.3.0/interfaces/wasi-sockets-types.js";
import {
  ResolvedNames,
  addressText,
  ipOf,
  ipText,
  wildcard,
  type NetworkGrant,
  type SocketUse,
} from "../network/index.js";

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
  private readonly resolved = new ResolvedNames();

  constructor(private readonly grant: NetworkGrant) {}

  private check(use: SocketUse, address: Types.IpSocketAddress): void {
    const text = addressText(address);
    if (this.grant.allows(use, text, this.resolved.of(ipText(ipOf(address))))) return;
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
          for (const address of addresses) network.resolved.add(name, ipText(address));
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
