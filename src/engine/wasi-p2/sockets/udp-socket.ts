import { createSocket, type Socket as DgramSocket } from "node:dgram";
import {
  addressText,
  ipOf,
  ipText,
  socketAddress,
  type IpAddressFamily,
  type IpSocketAddress,
} from "../../network/index.js";
import { Pollable } from "../io.js";
import { errorCodeOf, fail, type ErrorCode } from "./error-codes.js";
import type { Network } from "./network.js";
import { Signal } from "./signal.js";
import { SocketOptions } from "./socket-options.js";
import { checkFamily, checkRemote, type SocketRun } from "./socket-run.js";

/** Datagrams kept for a guest that has not received them yet; past it, new ones are dropped, as a full socket buffer drops them. */
const QUEUED_DATAGRAMS = 64;
/** Datagrams handed to the socket and not yet sent: `check-send`'s permits. */
const PENDING_SENDS = 16;
/** The largest payload of one datagram: 65535 less the IP and UDP headers. */
const MAX_PAYLOAD: Record<IpAddressFamily, number> = { ipv4: 65507, ipv6: 65527 };

type State =
  | { is: "unbound" }
  | { is: "bind-started"; socket: DgramSocket; outcome?: ErrorCode | "bound"; settled: Promise<void> }
  | { is: "bound"; socket: DgramSocket }
  | { is: "closed" };

export interface IncomingDatagram {
  data: Uint8Array;
  remoteAddress: IpSocketAddress;
}
export interface OutgoingDatagram {
  data: Uint8Array;
  remoteAddress?: IpSocketAddress;
}

/**
 * wasi:sockets/udp 0.2 `udp-socket` over node:dgram, for a guest whose glue suspends: bound
 * (`start-bind`, then `finish-bind` once its pollable is ready), then streamed (`stream`), with a
 * remote address it is "connected" to or none. Every bind, connect and datagram's address is
 * checked against the run's grant first (`access-denied`).
 */
export class UdpSocket extends SocketOptions {
  private state: State = { is: "unbound" };
  /** Where `stream` pointed the socket: only datagrams from there are received, and sends go there. */
  remote: IpSocketAddress | undefined;
  private readonly queue: IncomingDatagram[] = [];
  private readonly arrivals = new Signal();
  pending = 0;
  readonly sent = new Signal();
  private hopLimit = 64;

  constructor(
    private readonly run: SocketRun,
    family: IpAddressFamily,
  ) {
    super(family);
  }

  startBind(_network: Network, localAddress: IpSocketAddress): void {
    if (this.state.is !== "unbound") fail("invalid-state");
    checkFamily(this.family, localAddress);
    this.run.check("udp-bind", localAddress);
    const socket = createSocket({ type: this.family === "ipv4" ? "udp4" : "udp6", ipv6Only: this.family === "ipv6" });
    socket.on("message", (data, from) => this.arrived(data, from.address, from.port));
    const binding: State & { is: "bind-started" } = {
      is: "bind-started",
      socket,
      settled: new Promise<void>((resolve) => {
        // Listened to from the start: an error with no listener would end the worker.
        socket.on("error", (error) => {
          binding.outcome ??= errorCodeOf(error);
          resolve();
        });
        socket.once("close", () => {
          binding.outcome ??= "invalid-state";
          resolve();
        });
        socket.bind({ address: ipText(ipOf(localAddress)), port: localAddress.val.port }, () => {
          binding.outcome = "bound";
          resolve();
        });
      }),
    };
    this.state = binding;
  }

  finishBind(): void {
    const { state } = this;
    if (state.is !== "bind-started") fail("not-in-progress");
    if (state.outcome === undefined) fail("would-block");
    if (state.outcome !== "bound") {
      state.socket.close();
      this.state = { is: "unbound" };
      fail(state.outcome);
    }
    state.socket.setTTL(this.hopLimit);
    this.state = { is: "bound", socket: state.socket };
  }

  private arrived(data: Buffer, ip: string, port: number): void {
    const from = socketAddress(ip, port);
    if (!from || (this.remote && addressText(from) !== addressText(this.remote))) return;
    if (this.queue.length >= QUEUED_DATAGRAMS) return;
    this.queue.push({ data: new Uint8Array(data), remoteAddress: from });
    this.arrivals.fire();
  }

  stream(remoteAddress: IpSocketAddress | undefined): [IncomingDatagramStream, OutgoingDatagramStream] {
    if (this.state.is !== "bound") fail("invalid-state");
    if (remoteAddress) {
      checkRemote(this.family, remoteAddress);
      this.run.check("udp-connect", remoteAddress);
    }
    // Connected without the OS's connect (node:dgram's is asynchronous): sends go to `remote`,
    // and what comes from elsewhere is dropped, the queue's included.
    this.remote = remoteAddress;
    if (remoteAddress) {
      const kept = this.queue.filter((datagram) => addressText(datagram.remoteAddress) === addressText(remoteAddress));
      this.queue.splice(0, this.queue.length, ...kept);
    }
    return [new IncomingDatagramStream(this), new OutgoingDatagramStream(this)];
  }

  /** Up to `max` of the datagrams received, oldest first. */
  take(max: number): IncomingDatagram[] {
    return this.queue.splice(0, max);
  }

  hasArrived(): boolean {
    return this.queue.length > 0;
  }

  whenArrived(): Promise<void> {
    return this.hasArrived() ? Promise.resolve() : this.arrivals.wait();
  }

  /** Sends one datagram, after the checks `send` makes of each; fails with their error code. */
  send(datagram: OutgoingDatagram): void {
    const { state } = this;
    if (state.is !== "bound") fail("invalid-state");
    const target = datagram.remoteAddress ?? this.remote;
    if (!target) fail("invalid-argument");
    if (this.remote && datagram.remoteAddress && addressText(datagram.remoteAddress) !== addressText(this.remote))
      fail("invalid-argument");
    checkRemote(this.family, target);
    // A connected socket's address was checked by `stream`.
    if (datagram.remoteAddress) this.run.check("udp-send", target);
    if (datagram.data.length > MAX_PAYLOAD[this.family]) fail("datagram-too-large");
    this.pending++;
    state.socket.send(datagram.data.slice(), target.val.port, ipText(ipOf(target)), () => {
      // A datagram that could not be sent is lost, as UDP's are: the guest is not told.
      this.pending--;
      this.sent.fire();
    });
  }

  localAddress(): IpSocketAddress {
    if (this.state.is !== "bound") fail("invalid-state");
    const { address, port } = this.state.socket.address();
    return socketAddress(address, port) ?? fail("invalid-state");
  }

  remoteAddress(): IpSocketAddress {
    return this.remote ?? fail("invalid-state");
  }

  unicastHopLimit(): number {
    return this.hopLimit;
  }
  setUnicastHopLimit(value: number): void {
    if (value === 0) fail("invalid-argument");
    this.hopLimit = value;
    if (this.state.is === "bound") this.state.socket.setTTL(value);
  }

  /** Ready once a bind started has finished. */
  subscribe(): Pollable {
    const { state } = this;
    if (state.is === "bind-started")
      return new Pollable(
        () => state.outcome !== undefined,
        undefined,
        () => state.settled,
      );
    return new Pollable(() => true);
  }

  [Symbol.dispose](): void {
    this.run.forget(this);
    const { state } = this;
    if (state.is === "bind-started" || state.is === "bound") state.socket.close();
    this.state = { is: "closed" };
    this.arrivals.fire();
  }
}

/** wasi:sockets/udp 0.2 `incoming-datagram-stream`: the datagrams a socket received. */
export class IncomingDatagramStream {
  constructor(private readonly socket: UdpSocket) {}

  receive(maxResults: bigint): IncomingDatagram[] {
    return this.socket.take(Number(maxResults > 1024n ? 1024n : maxResults));
  }

  subscribe(): Pollable {
    return new Pollable(
      () => this.socket.hasArrived(),
      undefined,
      () => this.socket.whenArrived(),
    );
  }
}

/** wasi:sockets/udp 0.2 `outgoing-datagram-stream`: the datagrams a socket sends, PENDING_SENDS at a time. */
export class OutgoingDatagramStream {
  constructor(private readonly socket: UdpSocket) {}

  checkSend(): bigint {
    return BigInt(Math.max(0, PENDING_SENDS - this.socket.pending));
  }

  /** Sends what it may of `datagrams`, in order; the first's failure is the call's, a later one's ends it early. */
  send(datagrams: OutgoingDatagram[]): bigint {
    let sent = 0;
    for (const datagram of datagrams) {
      if (this.socket.pending >= PENDING_SENDS) break;
      try {
        this.socket.send(datagram);
      } catch (error) {
        if (sent === 0) throw error;
        break;
      }
      sent++;
    }
    return BigInt(sent);
  }

  subscribe(): Pollable {
    const { socket } = this;
    return new Pollable(
      () => socket.pending < PENDING_SENDS,
      undefined,
      () => (socket.pending < PENDING_SENDS ? Promise.resolve() : socket.sent.wait()),
    );
  }
}
