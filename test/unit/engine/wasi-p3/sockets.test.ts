import { createSocket } from "node:dgram";
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { P3Network } from "../../../../src/engine/wasi-p3/sockets.js";
import { commandNetwork, type NetworkGrant, type SocketUse } from "../../../../src/engine/network/index.js";

type Imports = ReturnType<P3Network["imports"]>;
type Tcp = InstanceType<Imports["wasi:sockets/types"]["TcpSocket"]>;

const v4 = (port: number, address: [number, number, number, number] = [127, 0, 0, 1]) =>
  ({ tag: "ipv4", val: { port, address } }) as const;
const DENIED = { payload: { tag: "access-denied" } };

/** A grant that allows what `allow` says and records every question and refusal. */
function recording(allow: (use: SocketUse, address: string, names: readonly string[]) => boolean) {
  const asked: string[] = [];
  const refused: string[] = [];
  const grant: NetworkGrant = {
    allows: (use, address, names) => {
      asked.push(`${use} ${address}${names.length ? ` (${names.join(",")})` : ""}`);
      return allow(use, address, names);
    },
    resolves: (name) => name === "localhost",
    refused: (use, target) => refused.push(`${use} ${target}`),
  };
  return { grant, asked, refused };
}

const servers: Array<{ close(): unknown }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function tcpServer(): Promise<{ port: number; accepted: Promise<void> }> {
  const server = createServer();
  servers.push(server);
  const accepted = once(server, "connection").then(() => undefined);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: (server.address() as AddressInfo).port, accepted };
}

/** wasi:sockets 0.3 over real sockets, each address checked against the run's grant first. */
describe("WASI 0.3 sockets, checked", () => {
  it("connects where the grant allows, and refuses elsewhere with access-denied before any packet leaves", async () => {
    const { port, accepted } = await tcpServer();
    const { grant, asked, refused } = recording(
      (use, address) => use === "tcp-connect" && address.endsWith(`:${port}`),
    );
    const network = new P3Network(grant);
    const { TcpSocket } = network.imports()["wasi:sockets/types"];
    const allowed = TcpSocket.create("ipv4");
    await allowed.connect(v4(port));
    await accepted;
    const denied = TcpSocket.create("ipv4");
    await expect(denied.connect(v4(port + 1))).rejects.toMatchObject(DENIED);
    expect(() => denied.bind(v4(0))).toThrow(expect.objectContaining(DENIED) as Error);
    expect(asked).toEqual([
      `tcp-connect 127.0.0.1:${port}`,
      `tcp-connect 127.0.0.1:${port + 1}`,
      "tcp-bind 127.0.0.1:0",
    ]);
    expect(refused).toEqual([`tcp-connect 127.0.0.1:${port + 1}`, "tcp-bind 127.0.0.1:0"]);
    network.close();
  });

  it("checks listening on an unbound socket as a bind of any address (0.3 binds implicitly)", () => {
    const { grant, asked } = recording(() => false);
    const { TcpSocket } = new P3Network(grant).imports()["wasi:sockets/types"];
    const socket: Tcp = TcpSocket.create("ipv4");
    expect(() => socket.listen()).toThrow(expect.objectContaining(DENIED) as Error);
    expect(asked).toEqual(["tcp-bind 0.0.0.0:0"]);
  });

  it("checks a UDP bind and each datagram's address", async () => {
    const receiver = createSocket("udp4");
    servers.push(receiver);
    receiver.bind(0, "127.0.0.1");
    await once(receiver, "listening");
    const port = receiver.address().port;
    const { grant, asked } = recording((use, address) => use !== "udp-send" || address.endsWith(`:${port}`));
    const { UdpSocket } = new P3Network(grant).imports()["wasi:sockets/types"];
    const socket = UdpSocket.create("ipv4");
    socket.bind(v4(0));
    socket.connect(v4(port));
    const got = once(receiver, "message");
    await socket.send(new TextEncoder().encode("ping"), v4(port));
    expect(String((await got)[0])).toBe("ping");
    await expect(socket.send(new Uint8Array(1), v4(port + 1))).rejects.toMatchObject(DENIED);
    expect(asked).toEqual([
      "udp-bind 127.0.0.1:0",
      `udp-connect 127.0.0.1:${port}`,
      `udp-send 127.0.0.1:${port}`,
      `udp-send 127.0.0.1:${port + 1}`,
    ]);
    socket[Symbol.dispose]();
  });

  it("lets a grant by name allow the addresses the guest looked that name up to", async () => {
    const { port, accepted } = await tcpServer();
    const { grant, asked } = recording((_use, _address, names) => names.includes("localhost"));
    const network = new P3Network(grant);
    const imports = network.imports();
    const { TcpSocket } = imports["wasi:sockets/types"];
    await expect(TcpSocket.create("ipv4").connect(v4(port))).rejects.toMatchObject(DENIED);
    const addresses = await imports["wasi:sockets/ip-name-lookup"].resolveAddresses("localhost");
    expect(addresses).toContainEqual({ tag: "ipv4", val: [127, 0, 0, 1] });
    await TcpSocket.create("ipv4").connect(v4(port));
    await accepted;
    expect(asked.at(-1)).toBe(`tcp-connect 127.0.0.1:${port} (localhost)`);
    await expect(imports["wasi:sockets/ip-name-lookup"].resolveAddresses("example.com")).rejects.toMatchObject(DENIED);
    network.close();
  });

  it("closes at the run's end every socket its guest left open", async () => {
    const { port, accepted } = await tcpServer();
    const network = new P3Network(commandNetwork({ inherit: true, lookups: false }));
    const socket = network.imports()["wasi:sockets/types"].TcpSocket.create("ipv4");
    await socket.connect(v4(port));
    await accepted;
    network.close();
    expect(() => socket.getRemoteAddress()).toThrow();
  });

  it("a command without -S reaches nothing, and looks nothing up", async () => {
    const imports = new P3Network(commandNetwork({ inherit: false, lookups: false })).imports();
    expect(() => imports["wasi:sockets/types"].UdpSocket.create("ipv4").bind(v4(0))).toThrow(
      expect.objectContaining(DENIED) as Error,
    );
    await expect(imports["wasi:sockets/ip-name-lookup"].resolveAddresses("localhost")).rejects.toMatchObject(DENIED);
  });
});
