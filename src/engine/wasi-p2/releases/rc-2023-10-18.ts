import { Fields } from "../http-fields.js";
import {
  FutureIncomingResponse,
  FutureTrailers,
  IncomingBody,
  IncomingRequest,
  IncomingResponse,
  OutgoingBody,
  OutgoingRequest,
  OutgoingResponse,
  RequestOptions,
  ResponseOutparam,
} from "../http-types.js";
import { InputStream, IoError, OutputStream, Pollable, poll as blockingPoll } from "../io.js";
import { monotonicClock as monotonic } from "../clocks-random.js";
import { Descriptor, DirectoryEntryStream } from "../filesystem.js";
import type * as MonotonicClock from "../../../generated/wasi-clocks@0.2.0-rc-2023-10-18/interfaces/wasi-clocks-monotonic-clock.js";
import type * as Timezone from "../../../generated/wasi-clocks@0.2.0-rc-2023-10-18/interfaces/wasi-clocks-timezone.js";
import type * as FilesystemTypes from "../../../generated/wasi-filesystem@0.2.0-rc-2023-10-18/interfaces/wasi-filesystem-types.js";
import type { HostImplementation } from "../../component/host-implementation.js";
import type * as Http from "../../../generated/wasi-http@0.2.0-rc-2023-10-18/interfaces/wasi-http-types.js";
import type * as OutgoingHandler from "../../../generated/wasi-http@0.2.0-rc-2023-10-18/interfaces/wasi-http-outgoing-handler.js";
import type * as Poll from "../../../generated/wasi-io@0.2.0-rc-2023-10-18/interfaces/wasi-io-poll.js";
import type * as Streams from "../../../generated/wasi-io@0.2.0-rc-2023-10-18/interfaces/wasi-io-streams.js";
import type * as Http02 from "../../../generated/wasi@0.2.12/interfaces/wasi-http-types.js";

/**
 * wasi:http@0.2.0-rc-2023-10-18, the release Spin 2.0 served and its SDKs built against (Spin
 * serves it still), over Wisp's wasi:http 0.2 host: each resource of that release wraps the 0.2
 * object doing the work. Its shapes differ from 0.2.0's (a `fields` constructor taking entries,
 * `outgoing-response(status, headers)`, `write` for `body`, a four-case `error`, request options
 * as a record), and jco's glue checks each resource it is handed against the class of its own
 * interface, so the wrappers are classes of their own.
 *
 * Its wasi:io (poll, streams) is 0.2.0's but for `poll-list` / `poll-one` and a stream error
 * resource in `streams`: served by the 0.2 classes.
 */

/**
 * A 0.2 call whose error this release has no case for: the guest traps, with a message that says
 * what it did (0.2's error names it: `invalid-syntax`, `immutable`).
 */
function trapping<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof Error) throw error;
    const tag = (error as { tag?: unknown } | undefined)?.tag;
    throw new Error(
      `wasi:http@0.2.0-rc-2023-10-18: ${what} was refused (${typeof tag === "string" ? tag : "invalid"}); that release has no error case for it, so the guest traps`,
      { cause: error },
    );
  }
}

export class Fields1018 {
  readonly inner: Fields;
  constructor(entries: Array<[string, Uint8Array]> | Fields) {
    this.inner =
      entries instanceof Fields
        ? entries
        : trapping(`fields(${JSON.stringify(entries.map(([name]) => name))})`, () => Fields.fromList(entries));
  }
  get(name: string): Uint8Array[] {
    return this.inner.get(name);
  }
  set(name: string, value: Uint8Array[]): void {
    trapping(`fields.set(${JSON.stringify(name)})`, () => this.inner.set(name, value));
  }
  delete(name: string): void {
    trapping(`fields.delete(${JSON.stringify(name)})`, () => this.inner.delete(name));
  }
  append(name: string, value: Uint8Array): void {
    trapping(`fields.append(${JSON.stringify(name)})`, () => this.inner.append(name, value));
  }
  entries(): Array<[string, Uint8Array]> {
    return this.inner.entries();
  }
  clone(): Fields1018 {
    return new Fields1018(this.inner.clone());
  }
}

export class IncomingRequest1018 {
  constructor(readonly inner: IncomingRequest) {}
  method(): Http.Method {
    return this.inner.method();
  }
  pathWithQuery(): string | undefined {
    return this.inner.pathWithQuery();
  }
  scheme(): Http.Scheme | undefined {
    return this.inner.scheme();
  }
  authority(): string | undefined {
    return this.inner.authority();
  }
  headers(): Fields1018 {
    return new Fields1018(this.inner.headers());
  }
  consume(): IncomingBody1018 {
    return new IncomingBody1018(this.inner.consume());
  }
}

export class IncomingBody1018 {
  constructor(readonly inner: IncomingBody) {}
  stream(): InputStream {
    return this.inner.stream();
  }
  static finish(body: IncomingBody1018): FutureTrailers1018 {
    return new FutureTrailers1018(IncomingBody.finish(body.inner));
  }
}

export class FutureTrailers1018 {
  constructor(private readonly inner: FutureTrailers) {}
  subscribe(): Pollable {
    return this.inner.subscribe();
  }
  get(): Http.Result<Fields1018, Http.Error> | undefined {
    const got = this.inner.get();
    if (!got) return undefined;
    // This release has no "taken" case: a second get finds nothing.
    if (got.tag === "err") return undefined;
    const trailers = got.val;
    if (trailers.tag === "err") return { tag: "err", val: errorOf(trailers.val) };
    // No trailers is an empty set in this release.
    return { tag: "ok", val: new Fields1018(trailers.val ?? new Fields()) };
  }
}

export class OutgoingResponse1018 {
  readonly inner: OutgoingResponse;
  constructor(statusCode: number, headers: Fields1018) {
    // `headers` is borrowed: the response takes a copy of what they hold now.
    this.inner = new OutgoingResponse(headers.inner.clone());
    trapping(`outgoing-response(${statusCode})`, () => this.inner.setStatusCode(statusCode));
  }
  write(): OutgoingBody1018 {
    return new OutgoingBody1018(this.inner.body());
  }
}

export class OutgoingBody1018 {
  constructor(readonly inner: OutgoingBody) {}
  write(): OutputStream {
    return this.inner.write();
  }
  static finish(body: OutgoingBody1018, trailers: Fields1018 | undefined): void {
    OutgoingBody.finish(body.inner, trailers?.inner);
  }
}

export class ResponseOutparam1018 {
  constructor(readonly inner: ResponseOutparam) {}
  static set(param: ResponseOutparam1018, response: Http.Result<OutgoingResponse1018, Http.Error>): void {
    ResponseOutparam.set(
      param.inner,
      response.tag === "ok"
        ? { tag: "ok", val: response.val.inner }
        : { tag: "err", val: { tag: "internal-error", val: `${response.val.tag}: ${response.val.val}` } },
    );
  }
}

export class OutgoingRequest1018 {
  readonly inner: OutgoingRequest;
  constructor(
    method: Http.Method,
    pathWithQuery: string | undefined,
    scheme: Http.Scheme | undefined,
    authority: string | undefined,
    headers: Fields1018,
  ) {
    this.inner = new OutgoingRequest(headers.inner.clone());
    trapping(`outgoing-request(${JSON.stringify([method, pathWithQuery, scheme, authority])})`, () => {
      this.inner.setMethod(method);
      this.inner.setPathWithQuery(pathWithQuery);
      this.inner.setScheme(scheme);
      this.inner.setAuthority(authority);
    });
  }
  write(): OutgoingBody1018 {
    return new OutgoingBody1018(this.inner.body());
  }
}

export class IncomingResponse1018 {
  constructor(private readonly inner: IncomingResponse) {}
  status(): number {
    return this.inner.status();
  }
  headers(): Fields1018 {
    return new Fields1018(this.inner.headers());
  }
  consume(): IncomingBody1018 {
    return new IncomingBody1018(this.inner.consume());
  }
}

export class FutureIncomingResponse1018 {
  constructor(private readonly inner: FutureIncomingResponse) {}
  subscribe(): Pollable {
    return this.inner.subscribe();
  }
  get(): Http.Result<Http.Result<IncomingResponse1018, Http.Error>, void> | undefined {
    const got = this.inner.get();
    if (!got || got.tag === "err") return got;
    const response = got.val;
    return {
      tag: "ok",
      val:
        response.tag === "ok"
          ? { tag: "ok", val: new IncomingResponse1018(response.val) }
          : { tag: "err", val: errorOf(response.val) },
    };
  }
}

/** 0.2's error code as this release's four cases, the code's name kept in the text. */
function errorOf(code: Http02.ErrorCode): Http.Error {
  const text = "val" in code && code.val !== undefined ? `${code.tag}: ${stringify(code.val)}` : code.tag;
  switch (code.tag) {
    case "HTTP-request-URI-invalid":
    case "HTTP-request-URI-too-long":
      return { tag: "invalid-url", val: text };
    case "connection-timeout":
    case "connection-read-timeout":
    case "connection-write-timeout":
    case "HTTP-response-timeout":
      return { tag: "timeout-error", val: text };
    case "internal-error":
      return { tag: "unexpected-error", val: text };
    default:
      return { tag: "protocol-error", val: text };
  }
}

function stringify(value: unknown): string {
  return typeof value === "string"
    ? value
    : JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? String(v) : v));
}

const NS_PER_MS = 1_000_000n;

/** This release's request options (a record of milliseconds) as 0.2's resource. */
function optionsOf(options: Http.RequestOptions | undefined): RequestOptions | undefined {
  if (!options) return undefined;
  const converted = new RequestOptions();
  const ns = (ms: number | undefined) => (ms === undefined ? undefined : BigInt(ms) * NS_PER_MS);
  converted.setConnectTimeout(ns(options.connectTimeoutMs));
  converted.setFirstByteTimeout(ns(options.firstByteTimeoutMs));
  converted.setBetweenBytesTimeout(ns(options.betweenBytesTimeoutMs));
  return converted;
}

interface OutgoingHandler02 {
  handle(request: OutgoingRequest, options: RequestOptions | undefined): FutureIncomingResponse;
}

/** The 0.2 host's clock and poll this release's are made of: a suspending guest's settle (see Pollable). */
export interface ClockAndPoll {
  clock: typeof monotonic;
  poll: (pollables: Pollable[]) => Uint32Array;
}

/**
 * This release's monotonic clock: instants and durations are both nanoseconds, `subscribe` takes
 * either (`absolute`) where 0.2.0 has two functions.
 */
function monotonicClockOf(clock: typeof monotonic) {
  return {
    now: clock.now,
    resolution: clock.resolution,
    subscribe: (when: bigint, absolute: boolean): Pollable =>
      absolute ? clock.subscribeInstant(when) : clock.subscribeDuration(when),
  } satisfies HostImplementation<typeof MonotonicClock>;
}

/** This release's timezone (gone from 0.2.0): Wisp's guests live in UTC, as a server's should. */
const timezone = {
  display: () => ({ utcOffset: 0, name: "UTC", inDaylightSavingTime: false }),
  utcOffset: () => 0,
} satisfies HostImplementation<typeof Timezone>;

/**
 * This release's filesystem is 0.2.0's but for `open-at`'s `modes` (ignored: the tree is
 * read-only) and the calls 0.2.0 dropped (access, permissions, locks), which the 0.2 Descriptor
 * keeps for it: so the unversioned host serves it, and this only checks the shapes.
 */
export const FILESYSTEM_TYPES = {
  Descriptor,
  DirectoryEntryStream,
  filesystemErrorCode: () => undefined,
} satisfies HostImplementation<typeof FilesystemTypes>;

/** This release's interfaces, keyed by their versioned names, over the 0.2 host `handler` sends through. */
export function rc20231018Imports(
  handler: OutgoingHandler02,
  { clock, poll }: ClockAndPoll = { clock: monotonic, poll: blockingPoll },
): Record<string, Record<string, unknown>> {
  return {
    "wasi:clocks/monotonic-clock@0.2.0-rc-2023-10-18": monotonicClockOf(clock),
    "wasi:clocks/timezone@0.2.0-rc-2023-10-18": timezone,
    "wasi:io/poll@0.2.0-rc-2023-10-18": {
      Pollable,
      pollList: poll,
      // A suspending guest's pollable settles: its block answers a promise, which the glue awaits.
      pollOne: (pollable: Pollable) => pollable.block() as void,
    } satisfies HostImplementation<typeof Poll>,
    "wasi:io/streams@0.2.0-rc-2023-10-18": {
      Error: IoError,
      InputStream,
      OutputStream,
    } satisfies HostImplementation<typeof Streams>,
    "wasi:http/types@0.2.0-rc-2023-10-18": {
      Fields: Fields1018,
      FutureIncomingResponse: FutureIncomingResponse1018,
      FutureTrailers: FutureTrailers1018,
      IncomingBody: IncomingBody1018,
      IncomingRequest: IncomingRequest1018,
      IncomingResponse: IncomingResponse1018,
      OutgoingBody: OutgoingBody1018,
      OutgoingRequest: OutgoingRequest1018,
      OutgoingResponse: OutgoingResponse1018,
      ResponseOutparam: ResponseOutparam1018,
    } satisfies HostImplementation<typeof Http>,
    "wasi:http/outgoing-handler@0.2.0-rc-2023-10-18": {
      handle(request: OutgoingRequest1018, options: Http.RequestOptions | undefined): FutureIncomingResponse1018 {
        try {
          return new FutureIncomingResponse1018(handler.handle(request.inner, optionsOf(options)));
        } catch (error) {
          throw isErrorCode(error) ? errorOf(error) : error;
        }
      },
    } satisfies HostImplementation<typeof OutgoingHandler>,
  };
}

function isErrorCode(value: unknown): value is Http02.ErrorCode {
  return typeof value === "object" && value !== null && typeof (value as { tag?: unknown }).tag === "string";
}
