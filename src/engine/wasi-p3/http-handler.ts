import { _fieldsFromEntriesChecked } from "@bytecodealliance/preview3-shim/http/fields";
import { Request } from "@bytecodealliance/preview3-shim/http/request";
import { Response } from "@bytecodealliance/preview3-shim/http/response";
import { readableByteStreamFromReader } from "@bytecodealliance/preview3-shim/stream";
import type { InputStream as ByteSource } from "../io/streams.js";
import type { ResponseSink } from "../io/response-sink.js";
import { methodOf, type IncomingRequestData } from "../wasi-p2/http-types.js";

/** How much of the request body one read of the guest's stream takes. */
const CHUNK = 64 * 1024;

/** The `handle` export of `wasi:http/handler@0.3`, as the glue gives it: the error-code case thrown (see ComponentError). */
export interface P3Handler {
  handle(request: unknown): Promise<unknown>;
}

/** What Wisp reads of preview3-shim's `response` (its declarations type it loosely). */
interface ResponseView {
  getStatusCode(): number;
  getHeaders(): FieldsView;
}

/** What the response's `error-code` was when the handler answered with one. */
export class HandlerError extends Error {
  override readonly name = "HandlerError";
  constructor(readonly errorCode: unknown) {
    super(`the component answered with an error: ${JSON.stringify(errorCode, bigintReplacer)}`);
  }
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/**
 * The request body as the reader preview3-shim's request takes for its contents: `read` gives
 * iterator results of at most `count` bytes (its content-length check asks for what is left).
 */
function bodyReader(body: ByteSource) {
  return {
    async read({ count = CHUNK }: { count?: number } = {}): Promise<IteratorResult<Uint8Array>> {
      const max = Math.max(1, Math.min(count, CHUNK));
      for (;;) {
        // A body still arriving is waited for without holding the thread (whenReady), so the
        // guest's other tasks run meanwhile: an echo answers the first part before the last comes.
        const chunk = body.whenReady ? body.readNow(max) : body.read(max);
        if (chunk === null) return { done: true, value: undefined };
        if (chunk.length > 0) return { done: false, value: chunk };
        await body.whenReady?.();
      }
    },
    cancel(): void {},
  };
}

/**
 * The incoming request as a wasi:http 0.3 `request` (preview3-shim's resource, which the glue
 * lowers): the client's headers as the host received them (a client may send any header, so
 * none is refused as a guest-built request's would be), the body a stream the guest reads, and its
 * trailers, when the host has them (a chunked body read whole).
 */
export function incomingRequest(data: IncomingRequestData): unknown {
  const encoder = new TextEncoder();
  const fields = (pairs: Array<[string, string]>) =>
    _fieldsFromEntriesChecked(pairs.map(([name, value]) => [name, encoder.encode(value)] as [string, Uint8Array]));
  const [request] = Request.new(
    fields(data.headers),
    bodyReader(data.body),
    Promise.resolve({ tag: "ok", val: data.trailers ? fields(data.trailers) : undefined }),
    undefined,
  );
  request.setMethod(methodOf(data.method));
  request.setPathWithQuery(data.pathWithQuery);
  request.setScheme({ tag: data.scheme === "https" ? "HTTPS" : "HTTP" });
  request.setAuthority(data.authority);
  return request;
}

/**
 * Calls the handler with the request and sends the response it returns: the head, then its body
 * as the guest writes it (the stream is read while the guest still writes, so the client sees
 * bytes as they come), then its trailers. An `error-code` answer throws HandlerError; a body that
 * fails part-way, or trailers that resolve to an error, throw, for the caller to abort the response.
 */
export async function serveWith(handler: P3Handler, request: unknown, sink: ResponseSink): Promise<void> {
  let response: unknown;
  try {
    response = await handler.handle(request);
  } catch (error) {
    // The glue throws the `err` case of handle's result as an error carrying it as `payload`.
    if (error instanceof Error && "payload" in error) throw new HandlerError(error.payload);
    throw error;
  }
  if (!(response instanceof Response)) throw new Error("the component's handler returned no wasi:http response");
  const answer = response as unknown as ResponseView;
  const decoder = new TextDecoder("latin1");
  const headers = answer
    .getHeaders()
    .copyAll()
    .map(([name, value]) => [name, decoder.decode(value)] as const);
  sink.head(answer.getStatusCode(), headers);
  const [contents, trailersFuture] = Response.consumeBody(response, Promise.resolve({ tag: "ok", val: undefined })) as [
    unknown,
    { read(): Promise<TrailersResult | null> } | undefined,
  ];
  if (contents) {
    const readable = readableByteStreamFromReader(contents, { chunkSize: CHUNK, name: "response body" });
    for await (const chunk of readable as AsyncIterable<Uint8Array>) {
      sink.body.write(chunk);
      // The guest wrote what it had: whatever it does next (waits for a timer, for more of the
      // request), these bytes go to the client now, not when the buffer fills or the body ends.
      sink.flush?.();
      // A client a window behind holds back this response only, not the thread's others.
      if (sink.body.whenWritable && sink.body.capacity() === 0) await sink.body.whenWritable();
    }
  }
  const trailers = await trailersFuture?.read();
  // Trailers that resolve to an error end the body as failed (the caller aborts the response).
  if (trailers?.tag === "err") throw new HandlerError(trailers.val);
  const fields = trailers?.val as FieldsView | undefined;
  const pairs = fields?.copyAll().map(([name, value]) => [name, decoder.decode(value)] as const);
  if (pairs && pairs.length > 0) sink.trailers?.(pairs);
  sink.body.close();
}

/** A `future<result<option<trailers>, error-code>>`'s value. */
type TrailersResult = { tag: "ok"; val: unknown } | { tag: "err"; val: unknown };

/** What Wisp reads of preview3-shim's `fields`. */
interface FieldsView {
  copyAll(): Array<[string, Uint8Array]>;
}
