import type { InputStream as ByteSource } from "../io/streams.js";
import type { ResponseSink } from "../worker/job.js";
import { Fields } from "./http-fields.js";
import { InputStream, OutputStream, READY, type IoError, type Pollable } from "./io.js";

/**
 * wasi:http 0.2 `types` for the incoming-handler side: the request the host hands the guest and
 * the response the guest hands back, streamed to the client through the job's ResponseSink.
 */

type Method = { tag: string; val?: string };
const KNOWN_METHODS = new Set(["get", "head", "post", "put", "delete", "connect", "options", "trace", "patch"]);

export function methodOf(name: string): Method {
  const lower = name.toLowerCase();
  return KNOWN_METHODS.has(lower) && name === name.toUpperCase() ? { tag: lower } : { tag: "other", val: name };
}

export interface IncomingRequestData {
  method: string;
  pathWithQuery: string;
  scheme: "http" | "https";
  authority: string;
  headers: Array<[string, string]>;
  body: ByteSource;
}

export class IncomingRequest {
  private consumed = false;
  constructor(private readonly data: IncomingRequestData) {}
  method(): Method {
    return methodOf(this.data.method);
  }
  pathWithQuery(): string | undefined {
    return this.data.pathWithQuery;
  }
  scheme(): { tag: string } | undefined {
    return { tag: this.data.scheme === "https" ? "HTTPS" : "HTTP" };
  }
  authority(): string | undefined {
    return this.data.authority;
  }
  headers(): Fields {
    return Fields.frozen(this.data.headers);
  }
  consume(): IncomingBody {
    if (this.consumed) throw { payload: undefined };
    this.consumed = true;
    return new IncomingBody(new InputStream(this.data.body));
  }
}

export class IncomingBody {
  private taken = false;
  constructor(private readonly input: InputStream) {}
  stream(): InputStream {
    if (this.taken) throw { payload: undefined };
    this.taken = true;
    return this.input;
  }
  static finish(_body: IncomingBody): FutureTrailers {
    return new FutureTrailers();
  }
}

/** Trailers of an incoming body: Wisp forwards none, so they are ready and empty. */
export class FutureTrailers {
  private taken = false;
  subscribe(): Pollable {
    return READY;
  }
  get(): unknown {
    if (this.taken) return { tag: "err", val: undefined };
    this.taken = true;
    return { tag: "ok", val: { tag: "ok", val: undefined } };
  }
}

export class OutgoingResponse {
  status = 200;
  body_: OutgoingBody | undefined;
  constructor(readonly fields: Fields) {
    fields.freeze();
  }
  statusCode(): number {
    return this.status;
  }
  setStatusCode(code: number): void {
    if (code < 100 || code > 999) throw { payload: undefined };
    this.status = code;
  }
  headers(): Fields {
    return this.fields;
  }
  body(): OutgoingBody {
    if (this.body_) throw { payload: undefined };
    this.body_ = new OutgoingBody();
    return this.body_;
  }
}

/**
 * A response body. Bytes written before the response is sent (ResponseOutparam.set) wait in a
 * buffer; after it, they stream straight to the client.
 */
export class OutgoingBody {
  private sink: ResponseSink | undefined;
  private pending: Uint8Array[] = [];
  private stream: OutputStream | undefined;
  finished = false;

  write(): OutputStream {
    if (this.stream) throw { payload: undefined };
    this.stream = new OutputStream({
      write: (bytes) => (this.sink ? this.sink.body.write(bytes) : this.pending.push(bytes)),
      capacity: () => (this.sink ? this.sink.body.capacity() : 64 * 1024),
      close: () => {},
    });
    return this.stream;
  }

  static finish(body: OutgoingBody, _trailers: Fields | undefined): void {
    body.finished = true;
    body.stream?.close();
    body.sink?.body.close();
  }

  /** Host side: the response head has gone out; flush what waited and stream the rest. */
  attach(sink: ResponseSink): void {
    this.sink = sink;
    for (const bytes of this.pending) sink.body.write(bytes);
    this.pending = [];
    if (this.finished) sink.body.close();
  }
}

/** Where the guest puts its response; the host reads `outcome` after `handle` returns. */
export class ResponseOutparam {
  outcome: { response: OutgoingResponse } | { error: { tag: string; val?: unknown } } | undefined;
  constructor(private readonly sink: ResponseSink) {}

  static set(param: ResponseOutparam, response: { tag: "ok"; val: OutgoingResponse } | { tag: "err"; val: { tag: string } }): void {
    if (param.outcome) throw new Error("wasi:http: response-outparam.set called twice");
    if (response.tag === "err") {
      param.outcome = { error: response.val };
      return;
    }
    const outgoing = response.val;
    param.outcome = { response: outgoing };
    param.sink.head(outgoing.status, outgoing.fields.toHeaderPairs());
    outgoing.body_?.attach(param.sink);
    if (!outgoing.body_) {
      // A response whose body the guest never asked for has none.
      param.sink.body.close();
    }
  }
}

/** Outbound requests are built by the guest, then refused by the outgoing handler (none are granted yet). */
export class OutgoingRequest {
  private method_: Method = { tag: "get" };
  private path: string | undefined;
  private scheme_: { tag: string } | undefined;
  private authority_: string | undefined;
  constructor(private readonly fields: Fields) {
    fields.freeze();
  }
  method(): Method {
    return this.method_;
  }
  setMethod(method: Method): void {
    this.method_ = method;
  }
  pathWithQuery(): string | undefined {
    return this.path;
  }
  setPathWithQuery(path: string | undefined): void {
    this.path = path;
  }
  scheme(): { tag: string } | undefined {
    return this.scheme_;
  }
  setScheme(scheme: { tag: string } | undefined): void {
    this.scheme_ = scheme;
  }
  authority(): string | undefined {
    return this.authority_;
  }
  setAuthority(authority: string | undefined): void {
    this.authority_ = authority;
  }
  headers(): Fields {
    return this.fields;
  }
  body(): OutgoingBody {
    return new OutgoingBody();
  }
}

export class RequestOptions {
  private timeouts: Record<string, bigint | undefined> = {};
  connectTimeout(): bigint | undefined {
    return this.timeouts.connect;
  }
  setConnectTimeout(value: bigint | undefined): void {
    this.timeouts.connect = value;
  }
  firstByteTimeout(): bigint | undefined {
    return this.timeouts.firstByte;
  }
  setFirstByteTimeout(value: bigint | undefined): void {
    this.timeouts.firstByte = value;
  }
  betweenBytesTimeout(): bigint | undefined {
    return this.timeouts.betweenBytes;
  }
  setBetweenBytesTimeout(value: bigint | undefined): void {
    this.timeouts.betweenBytes = value;
  }
}

/** Never produced while outbound HTTP is refused; present because guests import the types. */
export class FutureIncomingResponse {
  subscribe(): Pollable {
    return READY;
  }
  get(): undefined {
    return undefined;
  }
}
export class IncomingResponse {}

export function httpErrorCode(_error: IoError): undefined {
  return undefined;
}

/** wasi:http/outgoing-handler: nothing is granted yet, so every request is denied. */
export const deniedOutgoingHandler = {
  handle(_request: OutgoingRequest, _options: RequestOptions | undefined): never {
    throw { tag: "HTTP-request-denied" };
  },
};
