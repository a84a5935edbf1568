import { describe, expect, it } from "vitest";
import { proxyHarness } from "../support/proxy-harness.js";

/**
 * A wasi:http 0.3 guest's outbound responses (p3-proxy.component.wat, see proxyHarness): the body
 * reaches the guest, and through it the client, as the upstream sends it, with no size cap and no
 * buffering. (Upstreams that stall, and clients that leave: adversarial/p3-outbound-bodies.)
 */
const MIB = 1024 * 1024;

describe("wasi:http 0.3's client: response bodies stream", () => {
  // Room for 80 MiB on a loaded machine: at the harness's 3 s, a full test run cut it short.
  const proxy = proxyHarness({ timeout: "30s" });

  it("hands the client each chunk as the upstream sends it: the second waits until the first has arrived", async () => {
    let firstArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (firstArrived = resolve));
    proxy.answer("chunks", (res) => {
      res.writeHead(200, { "content-type": "text/plain", "x-upstream": "yes" });
      res.write("first\n");
      // Sent only once the client holds the first: a buffered body would never get there.
      void arrived.then(() => res.end("second\n"));
    });
    const response = await fetch(proxy.url, { signal: AbortSignal.timeout(15_000) });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-upstream")).toBe("yes");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toBe("first\n");
    firstArrived();
    for (let part = await reader.read(); !part.done; part = await reader.read()) text += decoder.decode(part.value);
    expect(text).toBe("first\nsecond\n");
  });

  it("passes a body larger than 0.2's 64 MiB cap through whole, never holding it", async () => {
    proxy.answer("large", (res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const chunk = Buffer.alloc(MIB, 121);
      let sent = 0;
      const pump = () => {
        while (sent < 80) {
          sent++;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    const response = await fetch(proxy.url, { signal: AbortSignal.timeout(60_000) });
    expect(response.status).toBe(200);
    let size = 0;
    let allY = true;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      allY &&= chunk.every((byte) => byte === 121);
    }
    expect(size).toBe(80 * MIB);
    expect(allY).toBe(true);
  });
});
