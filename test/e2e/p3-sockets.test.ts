import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { sharedComponentCache } from "../support/shared-cache.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

const useSharedCache = sharedComponentCache();

/**
 * wasi:sockets 0.3 in a served component (p3-spin.component.wat's /t/PORT: a TCP connect to
 * 127.0.0.1:PORT; /u/PORT: a UDP datagram there), granted by allowed_outbound_hosts as Spin
 * grants them: `tcp://` for a connection, `udp://` for a datagram, checked on every one.
 */
describe("WASI 0.3 sockets in a served component, granted by allowed_outbound_hosts", () => {
  let wisp: WispProcess & { url: string };
  let tcp: Server;
  let tcpPort: number;
  let otherTcpPort: number;
  const udp = createSocket("udp4");
  let udpPort: number;
  let connections = 0;
  const datagrams: string[] = [];

  beforeAll(async () => {
    tcp = createServer((socket) => {
      connections++;
      socket.destroy();
    }).listen(0, "127.0.0.1");
    await once(tcp, "listening");
    tcpPort = (tcp.address() as AddressInfo).port;
    const other = createServer().listen(0, "127.0.0.1");
    await once(other, "listening");
    otherTcpPort = (other.address() as AddressInfo).port;
    other.close();
    udp.on("message", (message) => datagrams.push(String(message)));
    udp.bind(0, "127.0.0.1");
    await once(udp, "listening");
    udpPort = udp.address().port;

    const dir = mkdtempSync(join(tmpdir(), "wisp-p3-sockets-"));
    copyFileSync(fixtureWasm("p3-spin"), join(dir, "guest.wasm"));
    writeFileSync(
      join(dir, "spin.toml"),
      `spin_manifest_version = 2
[application]
name = "p3-sockets"
[[trigger.http]]
route = "/granted/..."
component = "granted"
[component.granted]
source = "guest.wasm"
allowed_outbound_hosts = ["tcp://127.0.0.1:${tcpPort}", "udp://127.0.0.1:${udpPort}"]
[[trigger.http]]
route = "/denied/..."
component = "denied"
[component.denied]
source = "guest.wasm"
allowed_outbound_hosts = ["http://127.0.0.1:${tcpPort}"]
`,
    );
    useSharedCache(dir);
    wisp = await WispProcess.up(["-f", dir]);
  });
  afterAll(async () => {
    await wisp?.stop();
    tcp?.close();
    udp.close();
  });

  const found = async (path: string) => {
    const response = await fetch(`${wisp.url}${path}`);
    expect(response.status).toBe(200);
    return Object.fromEntries([...response.headers].filter(([name]) => name.startsWith("x-")));
  };

  it("connects over TCP where tcp:// allows, and is access-denied (error-code 0) elsewhere, with the pattern logged", async () => {
    expect(await found(`/granted/t/${tcpPort}`)).toEqual({ "x-value": "connected" });
    await waitFor(() => connections === 1);
    expect(await found(`/granted/t/${otherTcpPort}`)).toEqual({ "x-error": "0" });
    // An http:// grant for the same address is for wasi:http, not sockets.
    expect(await found(`/denied/t/${tcpPort}`)).toEqual({ "x-error": "0" });
    expect(connections).toBe(1);
    await waitFor(() => wisp.stderr.includes(`denied tcp-connect to 127.0.0.1:${tcpPort}`));
    expect(wisp.stderr).toContain(`add "tcp://127.0.0.1:${tcpPort}" to allowed_outbound_hosts`);
  });

  it("sends a UDP datagram where udp:// allows, and refuses one elsewhere", async () => {
    expect(await found(`/granted/u/${udpPort}`)).toEqual({ "x-value": "sent" });
    await waitFor(() => datagrams.length === 1);
    expect(datagrams).toEqual(["ping"]);
    expect(await found(`/granted/u/${tcpPort}`)).toEqual({ "x-error": "0" });
    expect(await found(`/denied/u/${udpPort}`)).toEqual({ "x-error": "0" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(datagrams).toEqual(["ping"]);
  });
});
