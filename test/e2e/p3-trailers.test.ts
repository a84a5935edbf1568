import { copyFileSync, cpSync, mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm, repoRoot } from "../support/dist.js";
import { sharedComponentCache } from "../support/shared-cache.js";
import { WispProcess } from "../support/wisp-process.js";

const useSharedCache = sharedComponentCache();

/** A POST of a chunked body with `trailers`, and what the guest found (its x- headers). */
function postWithTrailers(url: string, trailers: Record<string, string>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "transfer-encoding": "chunked" } }, (res) => {
      res.resume();
      resolve(Object.fromEntries(Object.entries(res.headers).filter(([name]) => name.startsWith("x-"))));
    }).on("error", reject);
    req.write("a body");
    req.addTrailers(trailers);
    req.end();
  });
}

/** A GET whose answer is read whole with its trailers (fetch cannot show them). */
function get(
  url: string,
): Promise<{ status: number; headers: Record<string, unknown>; trailers: NodeJS.Dict<string> }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, trailers: res.trailers }));
    })
      .on("error", reject)
      .end();
  });
}

/**
 * A wasi:http 0.3 component reads its request's trailers (p3-spin.component.wat's /Q/_) and sends
 * its response's (/T/NAME: the trailers
 * future resolves to NAME: "sent after the body") reach the client after a chunked body; fields
 * that may not be trailers (framing, routing) are dropped, and the response stands. A bad name
 * the host would refuse (checkTrailers) is tested in test/adversarial/properties.test.ts.
 */
describe("WASI 0.3 trailers, both ways", () => {
  let wisp: WispProcess & { url: string };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-p3-trailers-"));
    cpSync(join(repoRoot, "test/fixtures/apps/spin4"), dir, { recursive: true });
    copyFileSync(fixtureWasm("p3-spin"), join(dir, "spin4.wasm"));
    copyFileSync(fixtureWasm("http-kv"), join(dir, "kv.wasm"));
    useSharedCache(dir);
    wisp = await WispProcess.up(["-f", dir]);
  });
  afterAll(async () => {
    await wisp?.stop();
  });

  it("sends them after the body, chunked", async () => {
    const answer = await get(`${wisp.url}/denied/T/x-checksum`);
    expect(answer.status).toBe(200);
    expect(answer.headers["transfer-encoding"]).toBe("chunked");
    expect(answer.headers["content-length"]).toBeUndefined();
    expect(answer.trailers).toEqual({ "x-checksum": "sent after the body" });
  });

  it("hands the guest the trailers of a request body (a chunked one, read whole before it runs)", async () => {
    expect(await postWithTrailers(`${wisp.url}/denied/Q/_`, { "x-sum": "42" })).toEqual({
      "x-keys": "x-sum",
      "x-value": "42",
    });
    expect(await postWithTrailers(`${wisp.url}/denied/Q/_`, {})).toEqual({ "x-keys": "" });
  });

  it("drops a field that may not be a trailer; a name that is no token never becomes one", async () => {
    const framing = await get(`${wisp.url}/denied/T/content-length`);
    expect({ status: framing.status, trailers: framing.trailers }).toEqual({ status: 200, trailers: {} });
    const routing = await get(`${wisp.url}/denied/T/location`);
    expect({ status: routing.status, trailers: routing.trailers }).toEqual({ status: 200, trailers: {} });
    // The guest's own fields refuse it (wasi:http's header-name check): nothing to send.
    const bad = await get(`${wisp.url}/denied/T/a:b`);
    expect({ status: bad.status, trailers: bad.trailers }).toEqual({ status: 200, trailers: {} });
    // Without trailers, a whole response keeps its content-length.
    const plain = await get(`${wisp.url}/denied/v/nothing`);
    expect(plain.headers["content-length"]).toBe("0");
  });
});
