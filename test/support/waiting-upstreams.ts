import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";

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
