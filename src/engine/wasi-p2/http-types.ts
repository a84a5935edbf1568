import type { InputStream as ByteSource, OutputStream as ByteSink } from "../io/streams.js";
import type { ResponseSink } from "../io/response-sink.js";
import { BufferInput } from "../io/memory-streams.js";
import { Fields } from "./http-fields.js";
import { InputStream, OutputStream, Pollable, READY, type IoError } from "./io.js";
import type * as Http from "../../generated/wasi@0.2.12/interfaces/wasi-http-types.js";

/**
 * wasi:http 0.2 `types` for the incoming-handler side: the request the host hands the guest and
 * the response the guest hands back, streamed to the client through the job's ResponseSink.
 */

type Method = Http.Method;
const KNOWN_METHODS = new Set(["get", "head", "post", "put", "delete", "connect", "options", "trace", "patch"]);

export function methodOf(name: string): Method {
  const lower = name.toLowerCase();
  return KNOWN_METHODS.has(lower) && name === name.toUpperCase()
    ? ({ tag: lower } as Method)
    : { tag: "other", val: name };
}

export interface IncomingRequestData {
  method: string;
  pathWithQuery: string;
  scheme: "http" | "https";
  authority: string;
  headers: Array<[string, string]>;
  body: ByteSource;
  /** The body's trailers, if the client sent some (a 0.3 request hands them to the guest). */
  trailers?: Array<[string, string]>;
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
  scheme(): Http.Scheme | undefined {
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
  get(): Http.Result<Http.Result<Fields | undefined, Http.ErrorCode>, void> | undefined {
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
    this.stream = new OutputStream(this.streamSink);
    return this.stream;
  }

  /** What the guest's stream writes to: the sink once attached, else `pending`. */
  private readonly streamSink: ByteSink = {
    write: (bytes) => (this.sink ? this.sink.body.write(bytes) : this.pending.push(bytes)),
    capacity: () => (this.sink ? this.sink.body.capacity() : 64 * 1024),
    // Set when a sink whose writes never block is attached (see OutputStream): waited on then.
    whenWritable: undefined,
    close: () => {},
  };

  static finish(body: OutgoingBody, _trailers: Fields | undefined): void {
    body.finished = true;
    body.stream?.close();
    body.sink?.body.close();
  }

  /** Host side: what the guest wrote while no sink was attached (an outgoing request's body). */
  buffered(): Uint8Array {
    return Buffer.concat(this.pending);
  }

  /** Host side: the response head has gone out; flush what waited and stream the rest. */
  attach(sink: ResponseSink): void {
    this.sink = sink;
    const { body } = sink;
    if (body.whenWritable) this.streamSink.whenWritable = () => body.whenWritable!();
    for (const bytes of this.pending) sink.body.write(bytes);
    this.pending = [];
    if (this.finished) sink.body.close();
  }
}

/** Where the guest puts its response; the host reads `outcome` after `handle` returns. */
export class ResponseOutparam {
  outcome: { response: OutgoingResponse } | { error: Http.ErrorCode } | undefined;
  constructor(private readonly sink: ResponseSink) {}

  static set(param: ResponseOutparam, response: Http.Result<OutgoingResponse, Http.ErrorCode>): void {
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

/** An outbound request as the guest builds it; the outgoing handler (a capability) sends it. */
export class OutgoingRequest {
  private method_: Method = { tag: "get" };
  private body_: OutgoingBody | undefined;
  private path: string | undefined;
  private scheme_: Http.Scheme | undefined;
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
  scheme(): Http.Scheme | undefined {
    return this.scheme_;
  }
  setScheme(scheme: Http.Scheme | undefined): void {
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
    if (this.body_) throw { payload: undefined };
    this.body_ = new OutgoingBody();
    return this.body_;
  }
  /** Host side: the method as an HTTP token. */
  methodName(): string {
    return this.method_.tag === "other" ? String(this.method_.val) : this.method_.tag.toUpperCase();
  }
  /** Host side: the bytes written to the body so far. */
  bodyBytes(): Uint8Array | undefined {
    return this.body_?.buffered();
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

type ResponseResult = Http.Result<IncomingResponse, Http.ErrorCode>;

/**
 * The response to an outbound request. The request goes out when the guest first waits on it
 * (its body is complete by then: guests write the body, then wait), through `resolve`, which
 * answers the response (blocking the thread) or, for a suspending guest (see Pollable), a promise
 * of it: the guest's pollable then settles with it, and `get` answers nothing until then.
 */
export class FutureIncomingResponse {
  private result: ResponseResult | undefined;
  private pending: Promise<unknown> | undefined;
  private taken = false;
  constructor(
    private readonly resolve: () => ResponseResult | Promise<ResponseResult>,
    /** Whether `resolve` answers a promise (a suspending guest's request). */
    private readonly suspends = false,
  ) {}

  /** The response, once there is one (started on first call). */
  private settle(): ResponseResult | undefined {
    if (this.result || this.pending) return this.result;
    const answer = this.resolve();
    if (answer instanceof Promise)
      this.pending = answer.then(
        (result) => (this.result = result),
        (error: unknown) => (this.result = { tag: "err", val: { tag: "internal-error", val: String(error) } }),
      );
    else this.result = answer;
    return this.result;
  }
  subscribe(): Pollable {
    return new Pollable(
      () => this.settle() !== undefined,
      undefined,
      this.suspends ? () => (this.settle(), this.pending ?? Promise.resolve()) : undefined,
    );
  }
  get(): Http.Result<ResponseResult, void> | undefined {
    if (this.taken) return { tag: "err", val: undefined };
    const result = this.settle();
    if (!result) return undefined;
    this.taken = true;
    return { tag: "ok", val: result };
  }
}

/**
 * A response received for the guest: status, headers, and its body, read by the host already, or
 * (a suspending guest's) a source it reads as it arrives (see InputStream).
 */
export class IncomingResponse {
  private consumed = false;
  constructor(
    private readonly statusCode: number,
    private readonly headerPairs: Array<[string, string]>,
    private readonly bodyBytes: Uint8Array | ByteSource,
  ) {}
  status(): number {
    return this.statusCode;
  }
  headers(): Fields {
    return Fields.frozen(this.headerPairs);
  }
  consume(): IncomingBody {
    if (this.consumed) throw { payload: undefined };
    this.consumed = true;
    const body = this.bodyBytes;
    return new IncomingBody(
      body instanceof Uint8Array ? new InputStream(new BufferInput(body)) : new InputStream(body, true),
    );
  }
}

export function httpErrorCode(_error: IoError): undefined {
  return undefined;
}

/** wasi:http/outgoing-handler: nothing is granted yet, so every request is denied. */
export const deniedOutgoingHandler = {
  handle(_request: OutgoingRequest, _options: RequestOptions | undefined): never {
    throw { tag: "HTTP-request-denied" };
  },
};
