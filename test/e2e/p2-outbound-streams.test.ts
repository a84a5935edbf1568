import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WispProcess } from "../support/wisp-process.js";
import { outboundApp, sendMiB, upstreamOf, type Upstream } from "../support/waiting-upstreams.js";

/** More than the 64 MiB a whole outbound response may be: streamed, nothing holds all of it. */
const LARGE = 80 * 1024 * 1024;

/**
 * A suspending 0.2 guest's outbound response body reaches it as it arrives (main holds it open,
 * a chunk per read): the http-outbound fixture with `pipe=1` answers with the upstream's body
 * itself, so the client sees the upstream's first bytes before the upstream has sent the rest.
 */
describe("wasi:http 0.2 guests reading an upstream body as it arrives", () => {
  let upstream: Upstream;
  /** The upstream's response held after its first part, until the test lets it finish. */
  let held: ServerResponse | undefined;
  let wisp: WispProcess & { url: string };
  let base: string;

  beforeAll(async () => {
    upstream = await upstreamOf((req, res) => {
      if (req.url === "/held") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("first part\n");
        held = res;
        return;
      }
      if (req.url === "/large") return sendMiB(res, LARGE >> 20);
      res.end("whole\n");
    });
    const { address } = upstream;
    const dir = outboundApp("p2-streams", address);
    wisp = await WispProcess.up(["-f", dir]);
    base = `${wisp.url}/?pipe=1&url=http://${address}`;
  });
  afterAll(async () => {
    held?.destroy();
    upstream?.close();
    await wisp?.stop();
  });

  it("passes the upstream's first bytes on before the upstream has sent the rest", async () => {
    const response = await fetch(`${base}/held`);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    while (!seen.includes("first part\n")) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      seen += decoder.decode(value, { stream: true });
    }
    // Only now does the upstream send the rest: read whole, the guest would still be waiting.
    held!.end("second part\n");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
    }
    expect(seen).toBe("first part\nsecond part\n");
  });

  it(`passes on a body of ${LARGE >> 20} MiB, more than a whole response may be`, async () => {
    const response = await fetch(`${base}/large`);
    expect(response.status).toBe(200);
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) size += chunk.length;
    expect(size).toBe(LARGE);
  });

  it("a whole small body, as before", async () => {
    expect(await (await fetch(`${base.replace("pipe=1&", "")}/small`)).text()).toBe("200 whole\n");
  });
});
