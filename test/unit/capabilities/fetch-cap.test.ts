import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchForGuest } from "../../../src/capabilities/outbound-http/fetch-host-call.js";

/** A response read whole for a guest (the blocking path's http.fetch) stops at its cap. */
describe("fetchForGuest: a response read whole", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end(Buffer.alloc(2048, 0x61)));
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => server.close());

  const args = (maxResponseBytes: number) => ({ method: "GET", url, headers: [], timeoutMs: 5_000, maxResponseBytes });

  it("is the guest's when within its cap", async () => {
    const outcome = await fetchForGuest(args(4096));
    expect(outcome).toMatchObject({ ok: true, status: 200 });
    expect((outcome as { body: Uint8Array }).body.length).toBe(2048);
  });

  it("fails past its cap with the interface's HTTP-response-body-size, saying why", async () => {
    const outcome = await fetchForGuest(args(1024));
    expect(outcome).toMatchObject({ ok: false, error: { tag: "HTTP-response-body-size" } });
    expect((outcome as { message: string }).message).toBe(`the response from ${url} is larger than 1024 bytes`);
  });
});
