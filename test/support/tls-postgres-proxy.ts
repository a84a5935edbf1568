import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TLSSocket } from "node:tls";

/** A certificate authority made for one test run, and a certificate it signed for `localhost`. */
export interface TestAuthority {
  caPem: string;
  key: string;
  cert: string;
}

/** Makes a CA and a `localhost` server certificate with openssl (Debian's, on every machine here). */
export function testAuthority(): TestAuthority {
  const dir = mkdtempSync(join(tmpdir(), "wisp-ca-"));
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const newKey = ["-newkey", "rsa:2048", "-nodes"];
  try {
    run(["req", "-x509", ...newKey, "-days", "1", "-subj", "/CN=Wisp test CA", "-keyout", "ca.key", "-out", "ca.pem"]);
    run(["req", ...newKey, "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr"]);
    writeFileSync(join(dir, "san.ext"), "subjectAltName=DNS:localhost\n");
    const sign = ["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-extfile", "san.ext"];
    run(["x509", "-req", "-in", "server.csr", ...sign, "-out", "server.pem"]);
    return {
      caPem: readFileSync(join(dir, "ca.pem"), "utf8"),
      key: readFileSync(join(dir, "server.key"), "utf8"),
      cert: readFileSync(join(dir, "server.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** PostgreSQL's SSLRequest: length 8, then the code 80877103. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);

/**
 * A PostgreSQL server that speaks TLS only, in front of a plain one: it answers a client's
 * SSLRequest with `S`, ends TLS with the authority's `localhost` certificate, and relays the
 * rest to `upstream` unencrypted. Anything else is closed (a client that does not ask for TLS).
 */
export async function tlsPostgresProxy(
  authority: TestAuthority,
  upstream = { host: "127.0.0.1", port: 5432 },
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on("error", () => {});
    client.once("data", (first) => {
      if (!first.subarray(0, 8).equals(SSL_REQUEST)) return client.destroy();
      client.write("S");
      const secure = new TLSSocket(client, { isServer: true, key: authority.key, cert: authority.cert });
      const plain = createConnection(upstream);
      sockets.add(plain);
      secure.on("error", () => plain.destroy());
      plain.on("error", () => secure.destroy());
      secure.pipe(plain).pipe(secure);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
