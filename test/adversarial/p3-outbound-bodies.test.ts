import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { proxyHarness } from "../support/proxy-harness.js";
import { waitFor } from "../support/wait-for.js";

/**
 * Hostile upstreams and clients of a wasi:http 0.3 guest's outbound response (p3-proxy, see
 * proxyHarness): whoever stops, the upstream's connection is let go of promptly (main holds the
 * body open between reads, see streamed-fetch.ts) and the server goes on.
 */
describe("wasi:http 0.3's client: bodies left behind", () => {
  const proxy = proxyHarness();

  it("lets go of an upstream that stalls part-way once the request's deadline passes, long before its own time limit", async () => {
    proxy.answer("stalled", (res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("the start, and then nothing\n");
    });
    const started = Date.now();
    const response = await fetch(proxy.url, { signal: AbortSignal.timeout(20_000) });
    expect(response.status).toBe(200);
    // The head went out: the body is cut short at the 3 s deadline (an error, never a clean end).
    await expect(response.text()).rejects.toThrow();
    await waitFor(() => proxy.closed.has("stalled"), 10_000);
    // Let go of at the deadline, not at outbound HTTP's 30 s time limit.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("lets go of the upstream when the client leaves part-way: its connection is closed", async () => {
    proxy.answer("left", (res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("the start of an endless body\n");
      const more = setInterval(() => res.write("more\n"), 50);
      res.on("close", () => clearInterval(more));
    });
    await new Promise<void>((resolve, reject) => {
      const req = request(proxy.url, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", reject);
      req.end();
    });
    await waitFor(() => proxy.closed.has("left"), 10_000);
    // And the server goes on.
    proxy.answer("after", (res) => res.end("still here\n"));
    expect(await (await fetch(proxy.url)).text()).toBe("still here\n");
  });
});
