import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

// A hostile guest against allowed_outbound_hosts, end to end: each case is a target the manifest
// does not grant, reached (on the code before the fix) through a gap between the address the
// grant check looked at and the one the request or connection went to. Every trap below counts
// what reaches it; a fixed Wisp lets nothing through.

/** An HTTP server that counts its requests; `/redirect?to=URL` answers a 302 to URL. */
function httpTrap(host: string): Promise<Server & { port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    const to = new URL(req.url ?? "/", "http://x").searchParams.get("to");
    if (to) return void res.writeHead(302, { location: to }).end();
    res.end("reached the trap");
  });
  return new Promise((resolve) =>
    server.listen(0, host, () =>
      resolve(Object.assign(server, { port: (server.address() as { port: number }).port, hits })),
    ),
  );
}

/** A TCP (or Unix socket) listener that counts connections and never answers. */
function socketTrap(
  listen: (server: TcpServer, ready: () => void) => void,
): Promise<TcpServer & { connections: number }> {
  const server = Object.assign(
    createTcpServer((socket) => {
      server.connections++;
      socket.on("error", () => {});
      setTimeout(() => socket.destroy(), 200);
    }),
    { connections: 0 },
  );
  return new Promise((resolve) => listen(server, () => resolve(server)));
}

describe("adversarial: allowed_outbound_hosts is checked on the final target", () => {
  let dir: string;
  let upstream: Awaited<ReturnType<typeof httpTrap>>;
  let upstream6: Awaited<ReturnType<typeof httpTrap>>;
  let tcpTrap: Awaited<ReturnType<typeof socketTrap>>;
  let unixTrap: Awaited<ReturnType<typeof socketTrap>>;
  let unixPath: string;
  let wisp: WispProcess & { url: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "wisp-adversarial-outbound-"));
    // Where PostgreSQL looks for port 1's socket in a directory; Redis and MySQL take any path.
    unixPath = join(dir, ".s.PGSQL.1");
    [upstream, upstream6, tcpTrap, unixTrap] = await Promise.all([
      httpTrap("127.0.0.1"),
      httpTrap("::1"),
      socketTrap((server, ready) => server.listen(0, "127.0.0.1", ready)),
      socketTrap((server, ready) => server.listen(unixPath, ready)),
    ]);
    for (const name of ["http-outbound", "http-mqtt", "http-redis", "http-rdbms"])
      copyFileSync(fixtureWasm(name), join(dir, `${name}.wasm`));
    const component = (id: string, source: string, allowed: string[]) =>
      `[[trigger.http]]\nroute = "/${id}/..."\ncomponent = "${id}"\n\n[component.${id}]\nsource = "${source}.wasm"\nallowed_outbound_hosts = ${JSON.stringify(allowed)}\n\n`;
    writeFileSync(
      join(dir, "spin.toml"),
      [
        'spin_manifest_version = 2\n\n[application]\nname = "adversarial-outbound"\n\n',
        '[[trigger.http]]\nroute = "/pong"\nstatic_response = { status_code = 200, body = "pong from the app itself" }\n\n',
        component("selfish", "http-outbound", ["self"]),
        component("v6", "http-outbound", [`http://[::1]:${upstream6.port}`]),
        // Nothing listens on port 1: the grants below name a target that is harmless to try.
        component("mqtt", "http-mqtt", ["mqtt://allowed.invalid:1883"]),
        component("redis", "http-redis", ["redis://127.0.0.1:1"]),
        component("rdbms", "http-rdbms", ["postgres://127.0.0.1:1", "mysql://127.0.0.1:1"]),
      ].join(""),
    );
    wisp = await WispProcess.up([], { cwd: dir });
  });
  beforeEach(() => {
    upstream.hits.length = 0;
    upstream6.hits.length = 0;
    tcpTrap.connections = 0;
    unixTrap.connections = 0;
  });
  afterAll(async () => {
    await wisp?.stop();
    for (const server of [upstream, upstream6, tcpTrap, unixTrap]) server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const through = async (route: string, target: string) => {
    const response = await fetch(`${wisp.url}/${route}/go?url=${encodeURIComponent(target)}`);
    return { status: response.status, text: await response.text() };
  };

  it.each([
    ["a path starting //", (port: number) => `http://self.alt//127.0.0.1:${port}/stolen`],
    ["a path starting /\\", (port: number) => `http://self.alt/\\127.0.0.1:${port}/stolen`],
    ["a path starting // to a host name", (port: number) => `http://self.alt//localhost:${port}/stolen`],
  ])('a component granted only "self" stays on the app\'s own origin with %s', async (_, target) => {
    const answer = await through("selfish", target(upstream.port));
    expect(answer.text).not.toContain("reached the trap");
    expect(upstream.hits).toEqual([]);
    // The path is a path of the app itself, which has no such route.
    expect(answer.text).toMatch(/^404 /);
    // "self" still works.
    expect(await through("selfish", "http://self.alt/pong")).toEqual({
      status: 200,
      text: "200 pong from the app itself",
    });
  });

  it("matches an IPv6 literal in a pattern, and denies another port with advice that would allow it", async () => {
    expect(await through("v6", `http://[::1]:${upstream6.port}/hello`)).toEqual({
      status: 200,
      text: "200 reached the trap",
    });
    expect(upstream6.hits).toEqual(["/hello"]);
    const other = upstream6.port === 65535 ? 65534 : upstream6.port + 1;
    expect((await through("v6", `http://[::1]:${other}/x`)).status).toBe(502);
    await waitFor(() =>
      wisp.stderr.includes(
        `[v6] wisp: denied an outbound request to http://[::1]:${other}: add "http://[::1]:${other}" to allowed_outbound_hosts`,
      ),
    );
  });

  it("does not let a redirect from an allowed host take the request elsewhere", async () => {
    // The host returns the 302 unfollowed; the guest fixture follows it itself, and that hop
    // (to 127.0.0.1, which the v6 component is not granted) is checked and denied.
    const elsewhere = `http://127.0.0.1:${upstream.port}/redirected`;
    expect(
      (await through("v6", `http://[::1]:${upstream6.port}/redirect?to=${encodeURIComponent(elsewhere)}`)).status,
    ).toBe(502);
    expect(upstream6.hits).toHaveLength(1);
    expect(upstream.hits).toEqual([]);
    await waitFor(() =>
      wisp.stderr.includes(`[v6] wisp: denied an outbound request to http://127.0.0.1:${upstream.port}`),
    );
  });

  const trapPort = () => (tcpTrap.address() as AddressInfo).port;
  const open = async (route: string, address: string, init?: RequestInit) => {
    const response = await fetch(
      `${wisp.url}/${route}/${route === "redis" ? "get" : "go"}?address=${encodeURIComponent(address)}&key=k&topic=t`,
      init,
    );
    return { status: response.status, text: await response.text() };
  };
  const sql = (flavour: string, address: string) =>
    fetch(`${wisp.url}/rdbms/${flavour}/query?address=${encodeURIComponent(address)}`, {
      method: "POST",
      body: JSON.stringify({ sql: "SELECT 1" }),
    }).then(async (r) => ({ status: r.status, text: await r.text() }));

  it("MQTT: a backslash in the authority does not make the driver connect to another host", async () => {
    // The URL Standard reads allowed.invalid as the host; mqtt.js's legacy parser reads 127.0.0.1.
    // The fixed client looks up allowed.invalid, which never resolves; the answer may take a while.
    await open("mqtt", `mqtt://127.0.0.1:${trapPort()}\\@allowed.invalid:1883`, {
      method: "POST",
      body: "x",
      signal: AbortSignal.timeout(8_000),
    }).catch(() => {});
    await new Promise((r) => setTimeout(r, 300));
    expect(tcpTrap.connections).toBe(0);
  });

  it("Redis: a query parameter cannot point the client at a Unix socket", async () => {
    const answer = await open("redis", `redis://127.0.0.1:1/?path=${unixPath}`);
    expect(answer.status).toBe(500);
    expect(unixTrap.connections).toBe(0);
  });

  it("PostgreSQL: host and port query parameters cannot override the checked authority", async () => {
    const answer = await sql("postgres", `postgres://u:p@127.0.0.1:1/db?host=127.0.0.1&port=${trapPort()}`);
    expect(answer.status).toBe(500);
    expect(tcpTrap.connections).toBe(0);
    const socket = await sql("postgres", `postgres://u:p@127.0.0.1:1/db?host=${dir}`);
    expect(socket.status).toBe(500);
    expect(unixTrap.connections).toBe(0);
  });

  it("MySQL: a socketPath query parameter cannot override the checked authority", async () => {
    const answer = await sql("mysql", `mysql://u:p@127.0.0.1:1/db?socketPath=${encodeURIComponent(unixPath)}`);
    expect(answer.status).toBe(500);
    expect(unixTrap.connections).toBe(0);
  });
});
