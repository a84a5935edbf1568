import { describe, expect, it } from "vitest";
import { BufferInput } from "../../../../src/engine/io/memory-streams.js";
import {
  FutureIncomingResponse,
  IncomingRequest,
  IncomingResponse,
  OutgoingRequest,
  RequestOptions,
  ResponseOutparam,
} from "../../../../src/engine/wasi-p2/http-types.js";
import { withReleaseCandidates, handlerCall } from "../../../../src/engine/wasi-p2/releases/index.js";
import {
  Fields1018,
  IncomingRequest1018,
  OutgoingBody1018,
  OutgoingRequest1018,
  OutgoingResponse1018,
  ResponseOutparam1018,
  type FutureIncomingResponse1018,
} from "../../../../src/engine/wasi-p2/releases/rc-2023-10-18.js";
import {
  IncomingBody1110,
  RequestOptions1110,
  type FutureTrailers1110,
} from "../../../../src/engine/wasi-p2/releases/rc-2023-11-10.js";
import { WasiP2Host } from "../../../../src/engine/wasi-p2/host-imports.js";
import { CollectingResponse } from "../../../support/collecting-response.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array) => new TextDecoder().decode(value);

/** The release candidates' imports over a 0.2 host whose outgoing handler is `handle`. */
function importsWith(handle: (request: OutgoingRequest, options: RequestOptions | undefined) => unknown) {
  const host = new WasiP2Host({ args: [], env: [] });
  return withReleaseCandidates({ ...host.imports, "wasi:http/outgoing-handler": { handle } });
}

const request = () =>
  new IncomingRequest({
    method: "POST",
    pathWithQuery: "/x?y=1",
    scheme: "http",
    authority: "example.test",
    headers: [["x-probe", "yes"]],
    body: new BufferInput(bytes("the body")),
  });

describe("wasi:http@0.2.0-rc-2023-10-18 over the 0.2 host", () => {
  it("hands the guest the request in that release's shapes", () => {
    let seen: IncomingRequest1018 | undefined;
    void handlerCall("0.2.0-rc-2023-10-18")(
      {
        handle: (req) => {
          seen = req as IncomingRequest1018;
        },
      },
      request(),
      new ResponseOutparam(new CollectingResponse()),
    );
    expect(seen).toBeInstanceOf(IncomingRequest1018);
    expect(seen!.method()).toEqual({ tag: "post" });
    expect(seen!.pathWithQuery()).toBe("/x?y=1");
    expect(seen!.headers().get("x-probe").map(text)).toEqual(["yes"]);
    expect(text(seen!.consume().stream().blockingRead(100n))).toBe("the body");
  });

  it("sends a response built with fields(entries) and outgoing-response(status, headers)", () => {
    const sink = new CollectingResponse();
    const outparam = new ResponseOutparam(sink);
    const headers = new Fields1018([["Content-Type", bytes("text/plain")]]);
    const response = new OutgoingResponse1018(418, headers);
    // The headers were borrowed: changing them afterwards changes nothing sent.
    headers.append("x-late", bytes("1"));
    const body = response.write();
    ResponseOutparam1018.set(new ResponseOutparam1018(outparam), { tag: "ok", val: response });
    body.write().blockingWriteAndFlush(bytes("short and stout"));
    OutgoingBody1018.finish(body, undefined);
    expect(sink.status).toBe(418);
    expect(sink.headers).toEqual([["content-type", "text/plain"]]);
    expect(text(sink.body.bytes())).toBe("short and stout");
  });

  it("keeps the guest's own error, named, when it answers with one", () => {
    const outparam = new ResponseOutparam(new CollectingResponse());
    ResponseOutparam1018.set(new ResponseOutparam1018(outparam), {
      tag: "err",
      val: { tag: "protocol-error", val: "bad upstream" },
    });
    expect(outparam.outcome).toEqual({ error: { tag: "internal-error", val: "protocol-error: bad upstream" } });
  });

  it("traps on a header name the fields constructor cannot take (that release has no error case for it)", () => {
    expect(() => new Fields1018([["bad name", bytes("x")]])).toThrow(
      /fields\(\["bad name"\]\) was refused \(invalid-syntax\)/,
    );
  });

  it("sends outbound requests through the 0.2 handler, with its options as durations", () => {
    let sent: { request: OutgoingRequest; options: RequestOptions | undefined } | undefined;
    const imports = importsWith((request, options) => {
      sent = { request, options };
      return new FutureIncomingResponse(() => ({
        tag: "ok",
        val: new IncomingResponse(202, [["x-up", "1"]], bytes("upstream")),
      }));
    });
    const outgoing = imports["wasi:http/outgoing-handler@0.2.0-rc-2023-10-18"] as {
      handle(request: OutgoingRequest1018, options: unknown): FutureIncomingResponse1018;
    };
    const request = new OutgoingRequest1018(
      { tag: "put" },
      "/up",
      { tag: "HTTPS" },
      "upstream.test",
      new Fields1018([["x-a", bytes("b")]]),
    );
    const future = outgoing.handle(request, { connectTimeoutMs: 1500, firstByteTimeoutMs: undefined });
    expect(sent!.request.methodName()).toBe("PUT");
    expect(sent!.request.authority()).toBe("upstream.test");
    expect(sent!.request.headers().get("x-a").map(text)).toEqual(["b"]);
    expect(sent!.options!.connectTimeout()).toBe(1_500_000_000n);
    const got = future.get();
    expect(got?.tag).toBe("ok");
    const response = (
      got as {
        val: { tag: "ok"; val: { status(): number; consume(): { stream(): { blockingRead(n: bigint): Uint8Array } } } };
      }
    ).val.val;
    expect(response.status()).toBe(202);
    expect(text(response.consume().stream().blockingRead(100n))).toBe("upstream");
  });

  it("turns a denied request into that release's error, keeping the 0.2 code's name", () => {
    const imports = importsWith(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- as the 0.2 handler denies: the variant itself
      throw { tag: "HTTP-request-denied" };
    });
    const outgoing = imports["wasi:http/outgoing-handler@0.2.0-rc-2023-10-18"] as {
      handle(request: OutgoingRequest1018, options: unknown): unknown;
    };
    const request = new OutgoingRequest1018({ tag: "get" }, "/", { tag: "HTTP" }, "denied.test", new Fields1018([]));
    expect(() => outgoing.handle(request, undefined)).toThrow(
      expect.objectContaining({ tag: "protocol-error", val: "HTTP-request-denied" }) as Error,
    );
  });
});

describe("wasi:http@0.2.0-rc-2023-11-10 over the 0.2 host", () => {
  const types = importsWith(() => undefined)["wasi:http/types@0.2.0-rc-2023-11-10"] as {
    IncomingBody: typeof IncomingBody1110;
    RequestOptions: typeof RequestOptions1110;
  };

  it("accepts the 0.2 host's bodies as its own and finishes them with that release's trailers", () => {
    const body = request().consume();
    expect(body instanceof types.IncomingBody).toBe(true);
    expect({} instanceof types.IncomingBody).toBe(false);
    const trailers: FutureTrailers1110 = types.IncomingBody.finish(body);
    expect(trailers.get()).toEqual({ tag: "ok", val: undefined });
    expect(trailers.get()).toBeUndefined();
  });

  it("names request options' timeouts as that release does", () => {
    const options = new types.RequestOptions();
    options.setConnectTimeoutMs(5n);
    expect(options.connectTimeoutMs()).toBe(5n);
    expect(options.connectTimeout()).toBe(5n);
  });
});
