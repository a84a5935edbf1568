import { createSocket } from "node:dgram";
import { once } from "node:events";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { P2Network } from "../../../../src/engine/wasi-p2/sockets/index.js";
import { suspendingPoll } from "../../../../src/engine/wasi-p2/io.js";
import { commandNetwork, parseIp, type NetworkGrant, type SocketUse } from "../../../../src/engine/network/index.js";

const v4 = (port: number, address: [number, number, number, number] = [127, 0, 0, 1]) =>
  ({ tag: "ipv4", val: { port, address } }) as const;

/** A grant that allows what `allow` says and records every refusal. */
function recording(allow: (use: SocketUse, address: string, names: readonly string[]) => boolean) {
  const refused: string[] = [];
  const grant: NetworkGrant = {
    allows: allow,
    resolves: (name) => name === "localhost",
    refused: (use, target) => refused.push(`${use} ${target}`),
  };
  return { grant, refused };
}

const closers: Array<() => unknown> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A TCP server on loopback that answers each connection's bytes with `reply(bytes)`. */
async function tcpServer(reply: (bytes: Buffer, socket: Socket) => void = (bytes, socket) => socket.write(bytes)) {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
    socket.on("data", (bytes) => reply(bytes, socket));
  });
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: (server.address() as AddressInfo).port, sockets };
}

/** Waits as a suspending guest does: polls the pollable until it is ready. */
async function ready(pollable: unknown): Promise<void> {
  const target = (pollable as { subscribe?: () => unknown }).subscribe
    ? (pollable as { subscribe(): unknown }).subscribe()
    : pollable;
  await suspendingPoll([target as never]);
}

/** A call that fails, and its error-code. */
function codeOf(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return "no error";
}

function imports(grant: NetworkGrant) {
  const network = new P2Network(grant);
  closers.push(() => network.close());
  const all = network.imports();
  return {
    network,
    net: all["wasi:sockets/instance-network"].instanceNetwork(),
    tcp: all["wasi:sockets/tcp-create-socket"].createTcpSocket,
    udp: all["wasi:sockets/udp-create-socket"].createUdpSocket,
    lookup: all["wasi:sockets/ip-name-lookup"].resolveAddresses,
  };
}

/** wasi:sockets 0.2 over real sockets, as a suspending guest drives them: start, poll, finish. */
describe("WASI 0.2 sockets", () => {
  it("connects where the grant allows, writes and reads through the connection's streams", async () => {
    const { port } = await tcpServer((bytes, socket) => socket.write(Buffer.from(`echo:${bytes.toString()}`)));
    const { net, tcp } = imports(commandNetwork({ inherit: true, lookups: false }));
    const socket = tcp("ipv4");
    socket.startConnect(net, v4(port));
    expect(codeOf(() => socket.finishConnect())).toBe("would-block");
    await ready(socket);
    const [input, output] = socket.finishConnect();
    expect(socket.remoteAddress()).toEqual(v4(port));
    expect(socket.localAddress().tag).toBe("ipv4");
    output.write(new TextEncoder().encode("hi"));
    await ready(input);
    expect(new TextDecoder().decode(input.read(100n))).toBe("echo:hi");
  });

  it("refuses a connect the grant does not allow with access-denied, and names the address to the grant", () => {
    const { grant, refused } = recording(() => false);
    const { net, tcp } = imports(grant);
    const socket = tcp("ipv4");
    expect(codeOf(() => socket.startConnect(net, v4(6379)))).toBe("access-denied");
    expect(refused).toEqual(["tcp-connect 127.0.0.1:6379"]);
    // Refused before any state changed: the socket may still connect elsewhere.
    expect(codeOf(() => socket.finishConnect())).toBe("not-in-progress");
  });

  it("checks the address before the grant: port 0, unspecified, broadcast and the other family are invalid-argument", () => {
    const { grant, refused } = recording(() => true);
    const { net, tcp } = imports(grant);
    const socket = tcp("ipv4");
    expect(codeOf(() => socket.startConnect(net, v4(0)))).toBe("invalid-argument");
    expect(codeOf(() => socket.startConnect(net, v4(80, [0, 0, 0, 0])))).toBe("invalid-argument");
    expect(codeOf(() => socket.startConnect(net, v4(80, [255, 255, 255, 255])))).toBe("invalid-argument");
    const six = {
      tag: "ipv6" as const,
      val: { port: 80, flowInfo: 0, address: [0, 0, 0, 0, 0, 0, 0, 1] as [0, 0, 0, 0, 0, 0, 0, 1], scopeId: 0 },
    };
    expect(codeOf(() => socket.startConnect(net, six))).toBe("invalid-argument");
    expect(refused).toEqual([]);
  });

  it("keeps to the state machine: a second connect is concurrency-conflict, a connected socket's invalid-state", async () => {
    const { port } = await tcpServer();
    const { net, tcp } = imports(commandNetwork({ inherit: true, lookups: false }));
    const socket = tcp("ipv4");
    expect(codeOf(() => socket.remoteAddress())).toBe("invalid-state");
    socket.startConnect(net, v4(port));
    expect(codeOf(() => socket.startConnect(net, v4(port)))).toBe("concurrency-conflict");
    await ready(socket);
    socket.finishConnect();
    expect(codeOf(() => socket.startConnect(net, v4(port)))).toBe("invalid-state");
    expect(codeOf(() => socket.startListen())).toBe("invalid-state");
    expect(codeOf(() => socket.setHopLimit(0))).toBe("invalid-argument");
  });

  it("gives a refused connection as connection-refused, and the socket is closed after", async () => {
    const { port } = await tcpServer();
    closers.splice(0).forEach((close) => close());
    const { net, tcp } = imports(commandNetwork({ inherit: true, lookups: false }));
    const socket = tcp("ipv4");
    socket.startConnect(net, v4(port));
    await ready(socket);
    expect(codeOf(() => socket.finishConnect())).toBe("connection-refused");
    expect(codeOf(() => socket.startConnect(net, v4(port)))).toBe("invalid-state");
  });

  it("ends the input stream when the peer closes, and fails it (never a clean end) when the peer resets", async () => {
    const { port, sockets } = await tcpServer(() => {});
    const { net, tcp } = imports(commandNetwork({ inherit: true, lookups: false }));
    const connect = async () => {
      const socket = tcp("ipv4");
      socket.startConnect(net, v4(port));
      await ready(socket);
      return socket.finishConnect();
    };
    const [closedInput] = await connect();
    await expect.poll(() => sockets.length).toBe(1);
    sockets[0]!.end("last words");
    await ready(closedInput);
    expect(new TextDecoder().decode(closedInput.read(100n))).toBe("last words");
    await ready(closedInput);
    expect(codeOf(() => closedInput.read(100n))).toEqual({ tag: "closed" });

    const [resetInput, resetOutput] = await connect();
    await expect.poll(() => sockets.length).toBe(2);
    sockets[1]!.resetAndDestroy();
    await ready(resetInput);
    expect(codeOf(() => resetInput.read(100n))).toMatchObject({ tag: "last-operation-failed" });
    // Writing to it fails too, as the last operation's failure.
    await expect
      .poll(() => codeOf(() => resetOutput.write(new Uint8Array(1))))
      .toMatchObject({
        tag: "last-operation-failed",
      });
  });

  it("stops reading from a peer that floods a guest that does not read", async () => {
    const { port, sockets } = await tcpServer(() => {});
    const { net, tcp } = imports(commandNetwork({ inherit: true, lookups: false }));
    const socket = tcp("ipv4");
    socket.startConnect(net, v4(port));
    await ready(socket);
    const [input] = socket.finishConnect();
    await expect.poll(() => sockets.length).toBe(1);
    const peer = sockets[0]!;
    const chunk = Buffer.alloc(64 * 1024);
    let sent = 0;
    // The peer writes until the guest's side holds back (its buffers full): a few MiB at most.
    while (peer.write(chunk) && sent < 64 * 1024 * 1024) sent += chunk.length;
    // Held back long before the 64 MiB it would send to a reader that reads everything.
    expect(sent).toBeLessThan(32 * 1024 * 1024);
    // What waited is all there to read.
    await ready(input);
    expect(input.read(1024n).length).toBeGreaterThan(0);
  });

  it("listens and accepts where the grant allows a bind (a command's -S inherit-network), and refuses it otherwise", async () => {
    const { net, tcp } = imports(commandNetwork({ inherit: true, lookups: false }));
    const listener = tcp("ipv4");
    listener.startBind(net, v4(0));
    listener.finishBind();
    listener.startListen();
    await ready(listener);
    listener.finishListen();
    expect(listener.isListening()).toBe(true);
    const { port } = listener.localAddress().val;
    expect(codeOf(() => listener.accept())).toBe("would-block");
    const client = tcp("ipv4");
    client.startConnect(net, v4(port));
    await ready(listener);
    const [, input, output] = listener.accept();
    await ready(client);
    const [clientIn, clientOut] = client.finishConnect();
    clientOut.write(new TextEncoder().encode("ping"));
    await ready(input);
    expect(new TextDecoder().decode(input.read(10n))).toBe("ping");
    output.write(new TextEncoder().encode("pong"));
    await ready(clientIn);
    expect(new TextDecoder().decode(clientIn.read(10n))).toBe("pong");

    const { grant, refused } = recording(() => false);
    const denied = imports(grant);
    expect(codeOf(() => denied.tcp("ipv4").startBind(denied.net, v4(0)))).toBe("access-denied");
    expect(codeOf(() => denied.tcp("ipv4").startListen())).toBe("access-denied");
    expect(refused).toEqual(["tcp-bind 127.0.0.1:0", "tcp-bind 0.0.0.0:0"]);
  });

  it("sends and receives UDP datagrams where the grant allows, checking the bind, the peer and each datagram", async () => {
    const echo = createSocket("udp4");
    closers.push(() => echo.close());
    echo.on("message", (data, from) => echo.send(Buffer.from(`echo:${data.toString()}`), from.port, from.address));
    echo.bind(0, "127.0.0.1");
    await once(echo, "listening");
    const port = echo.address().port;
    const { grant, refused } = recording((use, address) => address.startsWith("127.0.0.1:") && use !== "udp-send");
    const { net, udp } = imports(grant);
    const socket = udp("ipv4");
    expect(codeOf(() => socket.stream(undefined))).toBe("invalid-state");
    socket.startBind(net, v4(0));
    await ready(socket);
    socket.finishBind();
    const [incoming, outgoing] = socket.stream(v4(port));
    expect(socket.remoteAddress()).toEqual(v4(port));
    expect(outgoing.checkSend()).toBeGreaterThan(0n);
    expect(outgoing.send([{ data: new TextEncoder().encode("hi") }])).toBe(1n);
    await ready(incoming);
    const [datagram] = incoming.receive(10n);
    expect(new TextDecoder().decode(datagram!.data)).toBe("echo:hi");
    expect(datagram!.remoteAddress).toEqual(v4(port));
    // A connected stream sends nowhere else; an unconnected one asks the grant per datagram.
    expect(codeOf(() => outgoing.send([{ data: new Uint8Array(1), remoteAddress: v4(port + 1) }]))).toBe(
      "invalid-argument",
    );
    const [, loose] = socket.stream(undefined);
    expect(codeOf(() => loose.send([{ data: new Uint8Array(1), remoteAddress: v4(port) }]))).toBe("access-denied");
    expect(codeOf(() => loose.send([{ data: new Uint8Array(1) }]))).toBe("invalid-argument");
    expect(codeOf(() => loose.send([{ data: new Uint8Array(70000), remoteAddress: v4(port) }]))).toBe("access-denied");
    expect(refused).toEqual([`udp-send 127.0.0.1:${port}`, `udp-send 127.0.0.1:${port}`]);
    expect(codeOf(() => udp("ipv4").startBind(net, v4(0, [10, 0, 0, 1])))).toBe("access-denied");
  });

  it("looks names up where the grant allows, and lets a grant by name allow the address it resolved to", async () => {
    const { port } = await tcpServer();
    const refused: string[] = [];
    const grant: NetworkGrant = {
      allows: (_use, _address, names) => names.includes("localhost"),
      resolves: (name) => name === "localhost",
      refused: (use, target) => refused.push(`${use} ${target}`),
    };
    const { net, tcp, lookup } = imports(grant);
    const before = tcp("ipv4");
    expect(codeOf(() => before.startConnect(net, v4(port)))).toBe("access-denied");
    const stream = lookup(net, "localhost");
    await ready(stream);
    const found = [];
    for (let address = stream.resolveNextAddress(); address; address = stream.resolveNextAddress()) found.push(address);
    expect(found).toContainEqual({ tag: "ipv4", val: [127, 0, 0, 1] });
    const after = tcp("ipv4");
    after.startConnect(net, v4(port));
    await ready(after);
    after.finishConnect();
    expect(codeOf(() => lookup(net, "example.com"))).toBe("access-denied");
    expect(codeOf(() => lookup(net, "not a name"))).toBe("invalid-argument");
    expect(refused).toEqual([`tcp-connect 127.0.0.1:${port}`, "ip-name-lookup example.com"]);
  });

  it("gives a name that does not resolve as name-unresolvable", async () => {
    const { net, lookup } = imports(commandNetwork({ inherit: true, lookups: true }));
    const stream = lookup(net, "no-such-host.invalid");
    expect(codeOf(() => stream.resolveNextAddress())).toBe("would-block");
    await ready(stream);
    expect(codeOf(() => stream.resolveNextAddress())).toBe("name-unresolvable");
    expect(stream.resolveNextAddress()).toBeUndefined();
  });

  it("closes what a run left open when it ends: the peer sees the connection close", async () => {
    const { port, sockets } = await tcpServer(() => {});
    const { network, net, tcp } = imports(commandNetwork({ inherit: true, lookups: false }));
    const socket = tcp("ipv4");
    socket.startConnect(net, v4(port));
    await ready(socket);
    socket.finishConnect();
    await expect.poll(() => sockets.length).toBe(1);
    const closed = once(sockets[0]!, "close");
    network.close();
    await closed;
  });
});

describe("IP addresses as node:net gives them", () => {
  it("parses IPv4, IPv6 (compressed, with an IPv4 tail, with a zone) and refuses anything else", () => {
    expect(parseIp("10.1.2.3")).toEqual({ tag: "ipv4", val: [10, 1, 2, 3] });
    expect(parseIp("::1")).toEqual({ tag: "ipv6", val: [0, 0, 0, 0, 0, 0, 0, 1] });
    expect(parseIp("fe80::1%eth0")).toEqual({ tag: "ipv6", val: [0xfe80, 0, 0, 0, 0, 0, 0, 1] });
    expect(parseIp("2001:db8::8:800:200c:417a")).toEqual({
      tag: "ipv6",
      val: [0x2001, 0xdb8, 0, 0, 8, 0x800, 0x200c, 0x417a],
    });
    expect(parseIp("::ffff:127.0.0.1")).toEqual({ tag: "ipv6", val: [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1] });
    expect(parseIp("1:2:3:4:5:6:7:8")).toEqual({ tag: "ipv6", val: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(parseIp("localhost")).toBeUndefined();
    expect(parseIp("1.2.3")).toBeUndefined();
  });
});
