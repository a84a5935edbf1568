import { ReadableStream } from "node:stream/web";
import { _fieldsFromEntriesChecked } from "@bytecodealliance/preview3-shim/http/fields";
import { Request } from "@bytecodealliance/preview3-shim/http/request";
import { Response } from "@bytecodealliance/preview3-shim/http/response";
import { readableByteStreamFromReader, StreamReader } from "@bytecodealliance/preview3-shim/stream";
import { asyncHostCallsOf } from "../../engine/worker/host-call.js";
import { witErr, witOk } from "../guest-errors.js";
import { httpDenial, isTargetAllowed, type AllowedHost } from "../outbound-networking/index.js";
import type { FetchArgs, OutboundHttpHostCalls } from "./host-calls.js";
import type { OutboundContext, OutboundHttpGrant } from "./outgoing-handler.js";
import { reachesSelf, requestTarget } from "./request-target.js";
import type { ErrorCode } from "../../generated/wasi-http@0.3.0/interfaces/wasi-http-types.js";

const callMain = asyncHostCallsOf<OutboundHttpHostCalls>();

/** What Wisp reads of a guest's wasi:http 0.3 request (preview3-shim's resource; its declarations type it loosely). */
interface RequestView {
  getMethod(): { tag: string; val?: string };
  getScheme(): { tag: string; val?: unknown } | undefined;
  getAuthority(): string | undefined;
  getPathWithQuery(): string | undefined;
  getHeaders(): { copyAll(): Array<[string, Uint8Array]> };
}

type SendResult = { tag: "ok"; val: unknown } | { tag: "err"; val: ErrorCode };

/** A `future<result<option<trailers>, error-code>>`'s value. */
type TrailersResult = { tag: "ok"; val: unknown } | { tag: "err"; val: ErrorCode };

const NS_PER_MS = 1_000_000n;
const ENCODER = new TextEncoder();
const LATIN1 = new TextDecoder("latin1");

/**
 * `wasi:http/client@0.3.0` for a component's requests: the same checks as 0.2's outgoing handler
 * (the final URL against `allowed_outbound_hosts` before anything leaves; no redirect followed by
 * the host), the request sent by main, and the answer awaited, so the guest's thread runs on
 * meanwhile. The request body is read whole before it is sent; the response body reaches the
 * guest as it arrives (main holds it open between the guest's reads, see streamed-fetch.ts).
 */
export function p3Client(
  grant: OutboundHttpGrant,
  allowedOutboundHosts: readonly AllowedHost[],
  context: OutboundContext,
) {
  return {
    async send(request: unknown): Promise<SendResult> {
      const result = await sendOnce(request);
      // The future `request.new` gave the guest: whether the request went out (never, on an error).
      (request as { _resolve(sent: unknown): void })._resolve(
        result.tag === "ok" ? witOk(undefined) : witErr(result.val),
      );
      return result;
    },
  };

  async function sendOnce(request: unknown): Promise<SendResult> {
    const guestRequest = request as RequestView;
    const target = requestTarget(
      guestRequest.getScheme(),
      guestRequest.getAuthority(),
      guestRequest.getPathWithQuery(),
      context.selfOrigin,
    );
    if (typeof target === "string") return witErr({ tag: target });
    if (!isTargetAllowed(allowedOutboundHosts, target)) {
      context.log(httpDenial(target, grant.componentId));
      return witErr({ tag: "HTTP-request-denied" } as const);
    }
    const { url, self } = target;
    const method = guestRequest.getMethod();
    const headers = guestRequest
      .getHeaders()
      .copyAll()
      .map(([name, value]) => [name, LATIN1.decode(value)] as [string, string])
      // A self request is addressed by Wisp's own origin, not the guest's `self.alt`.
      .filter(([name]) => !self || name.toLowerCase() !== "host");
    const sent = await bodyOf(request);
    // Trailers that resolve to an error end the request before it leaves (wasmtime: the same).
    if ("failed" in sent) return witErr(sent.failed);
    const args: FetchArgs = {
      method: method.tag === "other" ? (method.val ?? "") : method.tag.toUpperCase(),
      url: url.href,
      headers,
      body: sent.body,
      ...(sent.trailers ? { trailers: sent.trailers } : {}),
      self: reachesSelf(target, context.selfOrigin),
      timeoutMs: Math.min(grant.timeoutMs, firstByteTimeoutMs(request) ?? Infinity),
      maxResponseBytes: grant.maxResponseBytes,
    };
    const outcome = await callMain("http.open", args);
    if (!outcome.ok) {
      context.log(`wisp: outbound request failed: ${outcome.message}`);
      return witErr(outcome.error);
    }
    const responseHeaders = fieldsOf(outcome.headers);
    // The response's trailers: known when its body has ended (a future the guest may read).
    const trailers = Promise.withResolvers<TrailersResult>();
    if (!("bodyId" in outcome)) trailers.resolve(witOk(undefined));
    const [response] = Response.new(
      responseHeaders,
      // Always a stream, empty or not: the glue lowers the body of `consume-body` as one.
      // (preview3-shim keeps a stream it wraps alive when its reader lets go: handed a reader
      // that cancels, the guest's or the host's letting go reaches main, and the upstream.)
      "bodyId" in outcome
        ? new StreamReader(ReadableStream.from(arriving(outcome.bodyId, context, trailers.resolve)), {
            preventCancel: false,
          })
        : ReadableStream.from(outcome.body.length > 0 ? [outcome.body] : []),
      trailers.promise,
    ) as [{ setStatusCode(status: number): void }, unknown];
    response.setStatusCode(outcome.status);
    return witOk(response);
  }
}

/**
 * A response body as main receives it, a chunk per read, each asked for when the guest reads (so
 * a guest that reads slowly slows the upstream, and one that stops lets it go), then the trailers
 * it ended with, handed to `ended`. A failure part-way is the stream's error (and the trailers'),
 * never a clean end.
 */
async function* arriving(
  bodyId: number,
  context: OutboundContext,
  ended: (trailers: TrailersResult) => void,
): AsyncGenerator<Uint8Array> {
  let done = false;
  try {
    for (;;) {
      const part = await untilAbandoned(callMain("http.read", { bodyId }), context.abandoned);
      if ("end" in part) {
        done = true;
        ended(witOk(part.trailers ? fieldsOf(part.trailers) : undefined));
        return;
      }
      yield part.chunk;
    }
  } catch (error) {
    const message = (error as Error).message;
    context.log(`wisp: outbound response body failed: ${message}`);
    ended(witErr({ tag: "internal-error", val: message } satisfies ErrorCode));
    throw error;
  } finally {
    // Main forgets a body that failed there; one let go of here is cancelled (a no-op if gone).
    if (!done) void callMain("http.cancel", { bodyId }).catch(() => {});
  }
}

/** Header (or trailer) pairs as wasi:http 0.3's `fields`. */
function fieldsOf(pairs: ReadonlyArray<readonly [string, string]>): unknown {
  return _fieldsFromEntriesChecked(pairs.map(([name, value]) => [name, ENCODER.encode(value)] as [string, Uint8Array]));
}

/** `waiting`, or a rejection as soon as the request is let go of (then nothing more is read for it). */
function untilAbandoned<T>(waiting: Promise<T>, abandoned: AbortSignal | undefined): Promise<T> {
  if (!abandoned) return waiting;
  if (abandoned.aborted) return Promise.reject(new Error("the request was let go of"));
  return new Promise<T>((resolve, reject) => {
    const letGo = () => reject(new Error("the request was let go of"));
    abandoned.addEventListener("abort", letGo, { once: true });
    waiting.then(resolve, reject).finally(() => abandoned.removeEventListener("abort", letGo));
  });
}

/**
 * The guest's request body, read whole (its stream ends when the guest drops its writer), then
 * its trailers: the pairs to send after it, or the error the guest's trailers future gave.
 */
async function bodyOf(
  request: unknown,
): Promise<{ body?: Uint8Array; trailers?: Array<[string, string]> } | { failed: ErrorCode }> {
  const [contents, trailersFuture] = Request.consumeBody(request, Promise.resolve({ tag: "ok", val: undefined })) as [
    unknown,
    { read(): Promise<TrailersResult | null> } | undefined,
  ];
  const chunks: Uint8Array[] = [];
  if (contents)
    for await (const chunk of readableByteStreamFromReader(contents, {
      name: "request body",
    }) as AsyncIterable<Uint8Array>)
      chunks.push(chunk);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const trailers = await trailersFuture?.read();
  if (trailers?.tag === "err") return { failed: trailers.val };
  const fields = trailers?.val as { copyAll(): Array<[string, Uint8Array]> } | undefined;
  const pairs = fields?.copyAll().map(([name, value]) => [name, LATIN1.decode(value)] as [string, string]);
  return { body, ...(pairs && pairs.length > 0 ? { trailers: pairs } : {}) };
}

/** `request-options`' first-byte timeout, in ms, when the guest set one. */
function firstByteTimeoutMs(request: unknown): number | undefined {
  const options = (request as { getOptions(): { getFirstByteTimeout(): bigint | undefined } | undefined }).getOptions();
  const ns = options?.getFirstByteTimeout();
  return ns === undefined || ns === null ? undefined : Number(ns / NS_PER_MS);
}
