import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cancelBody,
  openBodies,
  openForGuest,
  readBody,
} from "../../../src/capabilities/outbound-http/streamed-fetch.js";
import type { FetchArgs } from "../../../src/capabilities/outbound-http/host-calls.js";

/** Main's side of a wasi:http 0.3 guest's streamed response body (see streamed-fetch.ts). */
describe("streamed outbound bodies on main", () => {
  let server: Server;
  let port = 0;
  const closedConnections: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.on("close", () => closedConnections.push(req.url ?? ""));
      res.writeHead(200, { "x-answer": "yes" });
      if (req.url === "/whole") return void res.end("all of it");
      if (req.url === "/trailers") {
        res.addTrailers({ "x-checksum": "abc123" });
        return void res.end("payload");
      }
      // /stall: a first chunk, then nothing, never an end.
      res.write("first");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server.close());

  const args = (path: string, timeoutMs = 5_000): FetchArgs => ({
    method: "GET",
    url: `http://127.0.0.1:${port}${path}`,
    headers: [],
    timeoutMs,
    maxResponseBytes: 1,
  });

  it("answers the head, then the body a chunk per read, to its end, then forgets it; no size cap applies", async () => {
    const opened = await openForGuest(args("/whole"));
    if (!opened.ok || !("bodyId" in opened)) throw new Error(`not opened: ${JSON.stringify(opened)}`);
    expect(opened.status).toBe(200);
    expect(opened.headers).toContainEqual(["x-answer", "yes"]);
    let text = "";
    for (let part = await readBody(opened); "chunk" in part; part = await readBody(opened))
      text += Buffer.from(part.chunk).toString();
    expect(text).toBe("all of it");
    expect(openBodies()).toBe(0);
    await expect(readBody(opened)).rejects.toThrow(/closed/);
  });

  it("ends the body with the trailer section the upstream sent, and none when it sent none", async () => {
    const read = async (path: string) => {
      const opened = await openForGuest(args(path));
      if (!opened.ok || !("bodyId" in opened)) throw new Error("not opened");
      let part = await readBody(opened);
      while ("chunk" in part) part = await readBody(opened);
      return part;
    };
    expect(await read("/trailers")).toEqual({ end: true, trailers: [["x-checksum", "abc123"]] });
    expect(await read("/whole")).toEqual({ end: true, trailers: undefined });
  });

  it("fails a read, naming the time limit, when the upstream sends nothing for it, and lets go of the connection", async () => {
    const opened = await openForGuest(args("/stall", 300));
    if (!opened.ok || !("bodyId" in opened)) throw new Error("not opened");
    expect(await readBody(opened)).toEqual({ chunk: new Uint8Array(Buffer.from("first")) });
    await expect(readBody(opened)).rejects.toThrow(/sent nothing, for 300 ms/);
    expect(openBodies()).toBe(0);
    await expect.poll(() => closedConnections.includes("/stall")).toBe(true);
  });

  it("cancels a body the guest let go of: the connection is closed", async () => {
    closedConnections.length = 0;
    const opened = await openForGuest(args("/stall"));
    if (!opened.ok || !("bodyId" in opened)) throw new Error("not opened");
    await cancelBody(opened);
    expect(openBodies()).toBe(0);
    await expect.poll(() => closedConnections.includes("/stall")).toBe(true);
  });
});
