import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { closedPort, reachable } from "../support/services.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

const REDIS = 6379;
const redisUp = await reachable(REDIS);

/**
 * wasi:sockets 0.2 in a served wasi:http 0.2 component (http-sockets.component.c, built in C
 * against the canonical ABI as wasi-libc and Rust's std::net drive the sockets), granted by
 * allowed_outbound_hosts as Spin grants them: `tcp://` for a connection, `udp://` for a bind or a
 * datagram, checked on every one; listening never.
 */
describe("WASI 0.2 sockets in a served component, granted by allowed_outbound_hosts", () => {
  let wisp: WispProcess & { url: string };
  let echo: Server;
  let echoPort: number;
  let refusedPort: number;
  const udp = createSocket("udp4");
  let udpPort: number;
  let connections = 0;

  beforeAll(async () => {
    echo = createServer((socket) => {
      connections++;
      socket.on("data", (bytes) => socket.end(`echo:${bytes.toString()}`));
      socket.on("error", () => {});
    }).listen(0, "127.0.0.1");
    await once(echo, "listening");
    echoPort = (echo.address() as AddressInfo).port;
    refusedPort = await closedPort();
    udp.on("message", (message, from) => udp.send(`echo:${message.toString()}`, from.port, from.address));
    udp.bind(0, "127.0.0.1");
    await once(udp, "listening");
    udpPort = udp.address().port;

    const dir = mkdtempSync(join(tmpdir(), "wisp-p2-sockets-"));
    copyFileSync(fixtureWasm("http-sockets"), join(dir, "sockets.wasm"));
    const component = (name: string, hosts: string[]) =>
      [
        "[[trigger.http]]",
        `route = "/${name}/..."`,
        `component = "${name}"`,
        `[component.${name}]`,
        'source = "sockets.wasm"',
        `allowed_outbound_hosts = ${JSON.stringify(hosts)}`,
      ].join("\n");
    writeFileSync(
      join(dir, "spin.toml"),
      [
        "spin_manifest_version = 2",
        "[application]",
        'name = "p2-sockets"',
        component("granted", [
          `tcp://127.0.0.1:${echoPort}`,
          `tcp://127.0.0.1:${refusedPort}`,
          `tcp://127.0.0.1:${REDIS}`,
          "udp://127.0.0.1:*",
        ]),
        // A grant by name allows the addresses the guest looked that name up to.
        component("named", [`tcp://localhost:${echoPort}`]),
        // An http:// grant for the same address is for wasi:http, not sockets.
        component("http-only", [`http://127.0.0.1:${echoPort}`]),
        component("none", []),
        "",
      ].join("\n"),
    );
    wisp = await WispProcess.up(["-f", dir]);
  });
  afterAll(async () => {
    await wisp?.stop();
    echo?.close();
    udp.close();
  });

  const answer = async (path: string) => {
    const response = await fetch(`${wisp.url}${path}`);
    return `${response.status} ${await response.text()}`;
  };

  it("connects over TCP where tcp:// allows, sends and reads back through the connection's streams", async () => {
    expect(await answer(`/granted/tcp/127.0.0.1/${echoPort}/hello`)).toBe("200 echo:hello\r\n");
    expect(connections).toBe(1);
  });

  it.skipIf(!redisUp)("speaks to this machine's Redis over a raw TCP connection (RESP's PING)", async () => {
    expect(await answer(`/granted/tcp/127.0.0.1/${REDIS}/PING`)).toBe("200 +PONG\r\n");
  });

  it("is access-denied elsewhere, before any packet leaves, with the pattern that would allow it logged", async () => {
    const before = connections;
    expect(await answer(`/http-only/tcp/127.0.0.1/${echoPort}/x`)).toBe("502 error: start-connect: access-denied\n");
    expect(await answer(`/none/tcp/127.0.0.1/${echoPort}/x`)).toBe("502 error: start-connect: access-denied\n");
    expect(await answer(`/granted/tcp/127.0.0.1/${echoPort + 1}/x`)).toBe("502 error: start-connect: access-denied\n");
    expect(connections).toBe(before);
    await waitFor(() => wisp.stderr.includes(`denied tcp-connect to 127.0.0.1:${echoPort}`));
    expect(wisp.stderr).toContain(`add "tcp://127.0.0.1:${echoPort}" to allowed_outbound_hosts`);
  });

  it("gives a connection the peer refuses as connection-refused", async () => {
    expect(await answer(`/granted/tcp/127.0.0.1/${refusedPort}/x`)).toBe(
      "502 error: finish-connect: connection-refused\n",
    );
  });

  it("never grants a listener: a component serves through its trigger", async () => {
    expect(await answer("/granted/listen")).toBe("502 error: start-bind: access-denied\n");
    await waitFor(() => wisp.stderr.includes("denied a TCP listener"));
  });

  it("binds, sends and receives UDP where udp:// allows, and refuses it elsewhere", async () => {
    expect(await answer(`/granted/udp/127.0.0.1/${udpPort}/ping`)).toBe("200 echo:ping");
    expect(await answer(`/named/udp/127.0.0.1/${udpPort}/ping`)).toBe("502 error: start-bind: access-denied\n");
    await waitFor(() => wisp.stderr.includes("denied udp-bind to 127.0.0.1:0"));
  });

  it("looks up a name its grant names, and connects by it; a name no grant names is access-denied", async () => {
    expect(await answer("/named/lookup/localhost")).toMatch(/^200 (.*\n)*127\.0\.0\.1\n/);
    expect(await answer(`/named/tcp/localhost/${echoPort}/by-name`)).toBe("200 echo:by-name\r\n");
    // The address alone, not looked up through the granted name, is not granted.
    expect(await answer(`/named/tcp/127.0.0.1/${echoPort}/x`)).toBe("502 error: start-connect: access-denied\n");
    expect(await answer("/named/lookup/example.com")).toBe("502 error: resolve-addresses: access-denied\n");
    await waitFor(() => wisp.stderr.includes("denied looking up example.com"));
  });
});
