import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchForGuest } from "../../../src/capabilities/outbound-http/fetch-host-call.js";
import {
  admitSelfRequest,
  MAX_SELF_DEPTH,
  SELF_DEPTH_HEADER,
  takeSelfDepth,
} from "../../../src/capabilities/outbound-http/index.js";
import type { HostCaller } from "../../../src/engine/worker/protocol.js";

const caller = (chainDepth: number, park = () => true): HostCaller => ({ guestId: "looper", chainDepth, park });
const text = (body: Uint8Array) => new TextDecoder().decode(body);

describe("takeSelfDepth: the depth Wisp stamped on a request to the app itself", () => {
  it("reads it and strips it from what the guest sees; a client's request is 0 deep", () => {
    expect(
      takeSelfDepth([
        ["accept", "*/*"],
        ["Wisp-Self-Depth", "3"],
      ]),
    ).toEqual({ depth: 3, headers: [["accept", "*/*"]] });
    expect(takeSelfDepth([["accept", "*/*"]])).toEqual({ depth: 0, headers: [["accept", "*/*"]] });
  });

  it("ignores what is not a small number, and takes the largest of several (a forged copy cannot hide the stamp)", () => {
    expect(
      takeSelfDepth([
        [SELF_DEPTH_HEADER, "-4"],
        [SELF_DEPTH_HEADER, "x"],
        [SELF_DEPTH_HEADER, "1e9"],
      ]).depth,
    ).toBe(0);
    expect(
      takeSelfDepth([
        [SELF_DEPTH_HEADER, "0"],
        [SELF_DEPTH_HEADER, "7"],
      ]),
    ).toEqual({ depth: 7, headers: [] });
  });
});

describe("admitSelfRequest", () => {
  it("stamps the request one deeper than its caller, replacing whatever the guest set, and parks the caller", () => {
    let parked = 0;
    const admitted = admitSelfRequest(
      [
        ["x-a", "1"],
        [SELF_DEPTH_HEADER, "0"],
      ],
      caller(2, () => ++parked > 0),
      () => {},
    );
    expect(admitted).toEqual({
      headers: [
        ["x-a", "1"],
        [SELF_DEPTH_HEADER, "3"],
      ],
    });
    expect(parked).toBe(1);
  });

  it("answers 508 Loop Detected past the depth limit, without parking, with a log line naming the component and the depth", () => {
    const lines: string[] = [];
    const refused = admitSelfRequest(
      [],
      caller(MAX_SELF_DEPTH, () => expect.fail("parked")),
      (line) => lines.push(line),
    );
    expect(refused).toMatchObject({ ok: true, status: 508 });
    expect(text((refused as { body: Uint8Array }).body)).toMatch(/loop detected/);
    expect(lines).toEqual([
      expect.stringMatching(/^\[looper\] wisp: loop detected: .* 11 self requests deep \(the limit is 10\)/),
    ]);
  });

  it("answers 503 when the pool may park no more threads: waiting could deadlock", () => {
    const lines: string[] = [];
    expect(
      admitSelfRequest(
        [],
        caller(0, () => false),
        (line) => lines.push(line),
      ),
    ).toMatchObject({ ok: true, status: 503 });
    expect(lines[0]).toMatch(/^\[looper\] wisp: .*503/);
  });
});

describe("fetchForGuest sends a self request with its depth, and refuses one too deep without sending it", () => {
  let server: Server;
  const seen: IncomingHttpHeaders[] = [];
  let url = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  afterAll(() => server.close());

  it("stamps it", async () => {
    const args = {
      method: "GET",
      url,
      headers: [[SELF_DEPTH_HEADER, "0"]] as Array<[string, string]>,
      self: true,
      timeoutMs: 5_000,
      maxResponseBytes: 1_000,
    };
    expect(await fetchForGuest(args, caller(4), () => {})).toMatchObject({ ok: true, status: 200 });
    expect(seen.at(-1)?.[SELF_DEPTH_HEADER]).toBe("5");
    const refused = await fetchForGuest(args, caller(MAX_SELF_DEPTH), () => {});
    expect(refused).toMatchObject({ ok: true, status: 508 });
    expect(seen).toHaveLength(1);
  });
});
