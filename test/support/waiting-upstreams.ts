import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { fixtureWasm } from "./dist.js";

/** An upstream on loopback, and its `host:port`. */
export interface Upstream {
  server: Server;
  address: string;
  close(): void;
}

async function listening(server: Server): Promise<Upstream> {
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  return {
    server,
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** An upstream that answers each request `delayMs` after its body has come: with `answer`, or echoing the body. */
export function delayedUpstream(delayMs: number, answer?: string): Promise<Upstream> {
  return listening(
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => setTimeout(() => res.end(answer ?? Buffer.concat(chunks)), delayMs));
    }),
  );
}

/** An upstream that takes every request and never answers. */
export function silentUpstream(): Promise<Upstream> {
  return listening(createServer(() => {}));
}

/** The latencies of `count` requests to `url` one after another, each answered 200. */
export async function latencies(url: string, count: number): Promise<number[]> {
  const measured: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    expect((await fetch(url)).status).toBe(200);
    measured.push(performance.now() - started);
  }
  return measured;
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Serves a handler as an upstream on loopback (see Upstream). */
export function upstreamOf(handler: Parameters<typeof createServer>[1]): Promise<Upstream> {
  return listening(createServer(handler));
}

/** Answers `mib` MiB of `fill`, as fast as the reader takes them (with their content-length). */
export function sendMiB(res: ServerResponse, mib: number, fill = 0x61): void {
  res.writeHead(200, { "content-length": String(mib << 20) });
  const chunk = Buffer.alloc(1 << 20, fill);
  let sent = 0;
  const more = (): void => {
    while (sent < mib) {
      sent++;
      if (!res.write(chunk)) return void res.once("drain", more);
    }
    res.end();
  };
  more();
}

/**
 * An app of one component on every route: the http-outbound fixture (it fetches `?url=`, and with
 * `pipe=1` passes the upstream's body on) allowed to reach `address`.
 */
export function outboundApp(name: string, address: string): string {
  const dir = mkdtempSync(join(tmpdir(), `wisp-${name}-`));
  copyFileSync(fixtureWasm("http-outbound"), join(dir, "outbound.wasm"));
  writeFileSync(
    join(dir, "spin.toml"),
    [
      "spin_manifest_version = 2",
      "[application]",
      `name = "${name}"`,
      "[[trigger.http]]",
      'route = "/..."',
      'component = "client"',
      "[component.client]",
      'source = "outbound.wasm"',
      `allowed_outbound_hosts = ["http://${address}"]`,
      "",
    ].join("\n"),
  );
  return dir;
}
