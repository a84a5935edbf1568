import { createConnection, createServer, type Server, type Socket } from "node:net";
import {
  ipOf,
  ipText,
  socketAddress,
  wildcard,
  type IpAddressFamily,
  type IpSocketAddress,
} from "../../network/index.js";
import { InputStream, OutputStream, Pollable } from "../io.js";
import { errorCodeOf, fail, type ErrorCode } from "./error-codes.js";
import { Signal } from "./signal.js";
import { SocketOptions } from "./socket-options.js";
import { SocketSink, SocketSource } from "./socket-streams.js";
import { checkFamily, checkRemote, nodeFamily, type SocketRun } from "./socket-run.js";
import type { Network } from "./network.js";

type Duration = bigint;

/**
 * Where a socket is in 0.2's life of a TCP socket: bound by `start-bind`/`finish-bind`, then
 * either connected (`start-connect`/`finish-connect`) or listening (`start-listen`/`finish-listen`,
 * then `accept`). A `start-` whose work takes a while (a connect, a listen) is pending until its
 * `finish-` sees it done; `closed` is where a failed connect leaves it.
 */
type State =
  | { is: "unbound" }
  | { is: "bind-started" | "bound"; local: IpSocketAddress }
  | { is: "connecting"; socket: Socket; outcome?: ErrorCode | "connected"; settled: Promise<void> }
  | { is: "connected"; socket: Socket; input?: InputStream; output?: OutputStream; source?: SocketSource }
  | { is: "listen-started" | "listening"; server: Server; outcome?: ErrorCode | "listening"; settled: Promise<void> }
  | { is: "closed" };

const SECOND_NS = 1_000_000_000n;

/**
 * wasi:sockets/tcp 0.2 `tcp-socket` over node:net, for a guest whose glue suspends: no call waits;
 * a connect or a listen is started and then finished once the socket's pollable is ready, and its
 * streams are read and written as bytes arrive and drain (socket-streams.ts). Every bind and
 * connect is checked against the run's grant first (`access-denied`, the socket untouched).
 */
export class TcpSocket extends SocketOptions {
  private state: State = { is: "unbound" };
  /** Connections that arrived on a listening socket and wait for `accept`. */
  private readonly arrived: Socket[] = [];
  private readonly arrivals = new Signal();
  private backlogSize = 128;
  private keepAlive = false;
  private keepAliveIdle = 7200n * SECOND_NS;
  private aliveInterval = 75n * SECOND_NS;
  private aliveCount = 9;
  private hops = 64;

  /** Made by create-tcp-socket, or by `accept` for a connection that arrived (`connected`). */
  constructor(
    private readonly run: SocketRun,
    family: IpAddressFamily,
    connected?: Socket,
  ) {
    super(family);
    if (connected) this.state = { is: "connected", socket: connected };
  }

  startBind(_network: Network, localAddress: IpSocketAddress): void {
    if (this.state.is !== "unbound") fail("invalid-state");
    checkFamily(this.family, localAddress);
    this.run.check("tcp-bind", localAddress);
    // node:net binds as it connects or listens: the address is kept until then.
    this.state = { is: "bind-started", local: localAddress };
  }

  finishBind(): void {
    if (this.state.is !== "bind-started") fail("not-in-progress");
    this.state = { is: "bound", local: this.state.local };
  }

  startConnect(_network: Network, remoteAddress: IpSocketAddress): void {
    const { state } = this;
    if (state.is === "connecting") fail("concurrency-conflict");
    if (state.is !== "unbound" && state.is !== "bound") fail("invalid-state");
    checkRemote(this.family, remoteAddress);
    this.run.check("tcp-connect", remoteAddress);
    const local = state.is === "bound" ? state.local : undefined;
    const socket = createConnection({
      host: ipText(ipOf(remoteAddress)),
      port: remoteAddress.val.port,
      family: nodeFamily(this.family),
      ...(local && { localAddress: ipText(ipOf(local)), localPort: local.val.port }),
    });
    const connecting: State & { is: "connecting" } = {
      is: "connecting",
      socket,
      settled: new Promise<void>((resolve) => {
        socket.once("connect", () => {
          connecting.outcome = "connected";
          resolve();
        });
        // Listened to from the start: an error with no listener would end the worker.
        socket.on("error", (error) => {
          connecting.outcome ??= errorCodeOf(error);
          resolve();
        });
        // Closed before it connected: dropped, or its run let go of.
        socket.once("close", () => {
          connecting.outcome ??= "connection-aborted";
          resolve();
        });
      }),
    };
    this.state = connecting;
  }

  finishConnect(): [InputStream, OutputStream] {
    const { state } = this;
    if (state.is !== "connecting") fail("not-in-progress");
    if (state.outcome === undefined) fail("would-block");
    if (state.outcome !== "connected") {
      state.socket.destroy();
      this.state = { is: "closed" };
      fail(state.outcome);
    }
    return this.connected(state.socket);
  }

  /** The connection's streams, handed out once. */
  private connected(socket: Socket): [InputStream, OutputStream] {
    const source = new SocketSource(socket);
    const sink = new SocketSink(socket);
    const input = new InputStream(source, true);
    const output = new OutputStream(sink, () => sink.close());
    this.state = { is: "connected", socket, input, output, source };
    return [input, output];
  }

  startListen(): void {
    const { state } = this;
    if (state.is === "listen-started") fail("concurrency-conflict");
    // Listening binds, if the guest has not: to any address, any port (as the OS does).
    if (state.is === "unbound") {
      const any = wildcard(this.family);
      this.run.check("tcp-bind", any);
      this.state = { is: "bound", local: any };
    } else if (state.is !== "bound") fail("invalid-state");
    const { local } = this.state as { local: IpSocketAddress };
    const server = createServer({ pauseOnConnect: true });
    server.on("connection", (socket) => {
      socket.on("error", () => {});
      if (this.arrived.length >= this.backlogSize) socket.destroy();
      else this.arrived.push(socket);
      this.arrivals.fire();
    });
    const listening: State & { is: "listen-started" } = {
      is: "listen-started",
      server,
      settled: new Promise<void>((resolve) => {
        server.once("listening", () => {
          listening.outcome = "listening";
          resolve();
        });
        server.on("error", (error) => {
          listening.outcome ??= errorCodeOf(error);
          resolve();
        });
        server.once("close", () => {
          listening.outcome ??= "invalid-state";
          resolve();
        });
      }),
    };
    server.listen({
      host: ipText(ipOf(local)),
      port: local.val.port,
      backlog: this.backlogSize,
      ipv6Only: this.family === "ipv6",
    });
    this.state = listening;
  }

  finishListen(): void {
    const { state } = this;
    if (state.is !== "listen-started") fail("not-in-progress");
    if (state.outcome === undefined) fail("would-block");
    if (state.outcome !== "listening") {
      state.server.close();
      this.state = { is: "closed" };
      fail(state.outcome);
    }
    this.state = { ...state, is: "listening" };
  }

  accept(): [TcpSocket, InputStream, OutputStream] {
    if (this.state.is !== "listening") fail("invalid-state");
    const socket = this.arrived.shift();
    if (!socket) fail("would-block");
    const accepted = this.run.adopt(new TcpSocket(this.run, this.family, socket));
    return [accepted, ...accepted.connected(socket)];
  }

  localAddress(): IpSocketAddress {
    const { state } = this;
    switch (state.is) {
      case "bind-started":
      case "bound":
        return state.local;
      case "connected":
      case "connecting":
        return addressOf(state.socket.localAddress, state.socket.localPort);
      case "listen-started":
      case "listening": {
        const bound = state.server.address();
        if (bound && typeof bound === "object") return addressOf(bound.address, bound.port);
        return fail("invalid-state");
      }
      default:
        return fail("invalid-state");
    }
  }

  remoteAddress(): IpSocketAddress {
    if (this.state.is !== "connected") fail("invalid-state");
    return addressOf(this.state.socket.remoteAddress, this.state.socket.remotePort);
  }

  isListening(): boolean {
    return this.state.is === "listening";
  }

  setListenBacklogSize(value: bigint): void {
    if (value === 0n) fail("invalid-argument");
    if (this.state.is === "connecting" || this.state.is === "connected") fail("invalid-state");
    this.backlogSize = Number(value > 4096n ? 4096n : value);
  }

  keepAliveEnabled(): boolean {
    return this.keepAlive;
  }
  setKeepAliveEnabled(value: boolean): void {
    this.keepAlive = value;
    this.applyKeepAlive();
  }
  keepAliveIdleTime(): Duration {
    return this.keepAliveIdle;
  }
  setKeepAliveIdleTime(value: Duration): void {
    if (value <= 0n) fail("invalid-argument");
    this.keepAliveIdle = value;
    this.applyKeepAlive();
  }
  keepAliveInterval(): Duration {
    return this.aliveInterval;
  }
  setKeepAliveInterval(value: Duration): void {
    if (value <= 0n) fail("invalid-argument");
    this.aliveInterval = value;
  }
  keepAliveCount(): number {
    return this.aliveCount;
  }
  setKeepAliveCount(value: number): void {
    if (value <= 0) fail("invalid-argument");
    this.aliveCount = value;
  }

  /** node:net sets keep-alive and its idle time; the interval and count are the system's. */
  private applyKeepAlive(): void {
    if (this.state.is === "connected")
      this.state.socket.setKeepAlive(this.keepAlive, Number(this.keepAliveIdle / 1_000_000n));
  }

  hopLimit(): number {
    return this.hops;
  }
  setHopLimit(value: number): void {
    if (value === 0) fail("invalid-argument");
    this.hops = value;
  }

  /** Ready when a connect or listen started has finished, or (listening) a connection waits to be accepted. */
  subscribe(): Pollable {
    const { state } = this;
    if (state.is === "connecting" || state.is === "listen-started")
      return new Pollable(
        () => state.outcome !== undefined,
        undefined,
        () => state.settled,
      );
    if (state.is === "listening")
      return new Pollable(
        () => this.arrived.length > 0,
        undefined,
        () => (this.arrived.length > 0 ? Promise.resolve() : this.arrivals.wait()),
      );
    return new Pollable(() => true);
  }

  shutdown(shutdownType: "receive" | "send" | "both"): void {
    const { state } = this;
    if (state.is !== "connected") fail("invalid-state");
    if (shutdownType !== "send") state.source?.stop();
    if (shutdownType !== "receive") state.output?.close();
  }

  [Symbol.dispose](): void {
    this.run.forget(this);
    const { state } = this;
    if (state.is === "connecting" || state.is === "connected") state.socket.destroy();
    if (state.is === "listen-started" || state.is === "listening") state.server.close();
    for (const socket of this.arrived.splice(0)) socket.destroy();
    this.state = { is: "closed" };
    this.arrivals.fire();
  }
}

/** A socket address node:net reported; unspecified if it reported none (a socket already closed). */
function addressOf(ip: string | undefined, port: number | undefined): IpSocketAddress {
  return (ip && socketAddress(ip, port ?? 0)) || fail("invalid-state");
}
