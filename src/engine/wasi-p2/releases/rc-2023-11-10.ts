import type { Fields } from "../http-fields.js";
import { FutureTrailers, IncomingBody, RequestOptions } from "../http-types.js";
import type { Pollable } from "../io.js";
import type * as Http02 from "../../../generated/wasi@0.2.12/interfaces/wasi-http-types.js";

/**
 * wasi:http@0.2.0-rc-2023-11-10, which Spin 2.1 and later serve: 0.2.0 but for two shapes (its
 * WASI is 0.2.0's, interface for interface, so the 0.2 host serves it under the unversioned names):
 * - request options' timeouts are named `*-timeout-ms` (still durations in nanoseconds);
 * - `future-trailers.get` has no inner result: `option<result<option<trailers>, error-code>>`.
 * Everything else in its `types` is the 0.2 class itself.
 */

export class RequestOptions1110 extends RequestOptions {
  connectTimeoutMs(): bigint | undefined {
    return this.connectTimeout();
  }
  setConnectTimeoutMs(value: bigint | undefined): void {
    this.setConnectTimeout(value);
  }
  firstByteTimeoutMs(): bigint | undefined {
    return this.firstByteTimeout();
  }
  setFirstByteTimeoutMs(value: bigint | undefined): void {
    this.setFirstByteTimeout(value);
  }
  betweenBytesTimeoutMs(): bigint | undefined {
    return this.betweenBytesTimeout();
  }
  setBetweenBytesTimeoutMs(value: bigint | undefined): void {
    this.setBetweenBytesTimeout(value);
  }
}

export class FutureTrailers1110 {
  constructor(private readonly inner: FutureTrailers) {}
  subscribe(): Pollable {
    return this.inner.subscribe();
  }
  get(): Http02.Result<Fields | undefined, Http02.ErrorCode> | undefined {
    const got = this.inner.get();
    // This release has no "taken" case: a second get finds nothing.
    if (!got || got.tag === "err") return undefined;
    return got.val;
  }
}

/**
 * `incoming-body` with this release's `finish`. The bodies themselves are the 0.2 host's (made by
 * its requests and responses, their methods its own), so the glue's check that a body it is
 * handed is one of this class's accepts those; the glue calls `finish` on this class.
 */
export class IncomingBody1110 {
  private constructor() {}
  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof IncomingBody;
  }
  static finish(body: IncomingBody): FutureTrailers1110 {
    return new FutureTrailers1110(IncomingBody.finish(body));
  }
}

/** This release's `types`: 0.2's, with the classes above in place of theirs. */
export function rc20231110Types(types02: Record<string, unknown>): Record<string, unknown> {
  return {
    ...types02,
    FutureTrailers: FutureTrailers1110,
    IncomingBody: IncomingBody1110,
    RequestOptions: RequestOptions1110,
  };
}
