import { Fields } from "../../../../../engine/wasi-p2/http-fields.js";
import {
  OutgoingBody,
  OutgoingRequest,
  type FutureIncomingResponse,
} from "../../../../../engine/wasi-p2/http-types.js";

import type { Spin1HttpRequest, Spin1HttpResponse } from "./spin1-http.js";

/** The 0.2 outgoing handler a component is granted (outbound HTTP's, or WASI's that denies all). */
export interface OutgoingHandler {
  handle(request: OutgoingRequest, options: undefined): FutureIncomingResponse;
}

/** Spin 1's `http-error` cases that a send can end in. */
export type Spin1HttpError = "destination-not-allowed" | "invalid-url" | "request-error";

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

/**
 * Spin 1's outbound HTTP (`wasi-outbound-http.request`, Spin 1.4's `fermyon:spin/http.send-request`)
 * through the component's 0.2 outgoing handler: so the same `allowed_outbound_hosts` checks, and
 * the same log line for a denial. The response is read whole, as Spin 1's record holds it.
 */
export function sendSpin1Request(
  outgoing: OutgoingHandler,
  spin1: Spin1HttpRequest,
): Spin1HttpResponse | { error: Spin1HttpError } {
  let url: URL;
  try {
    url = new URL(spin1.uri);
  } catch {
    return { error: "invalid-url" };
  }
  const request = new OutgoingRequest(Fields.fromList(spin1.headers.map(([n, v]) => [n, ENCODER.encode(v)])));
  request.setMethod({ tag: spin1.method.toLowerCase() } as never);
  request.setScheme(
    url.protocol === "https:"
      ? { tag: "HTTPS" }
      : url.protocol === "http:"
        ? { tag: "HTTP" }
        : { tag: "other", val: url.protocol.slice(0, -1) },
  );
  request.setAuthority(url.host);
  request.setPathWithQuery(url.pathname + url.search);
  if (spin1.body) {
    const outgoingBody = request.body();
    outgoingBody.write().write(spin1.body);
    OutgoingBody.finish(outgoingBody, undefined);
  }
  let answered;
  try {
    answered = outgoing.handle(request, undefined).get();
  } catch (error) {
    const tag = (error as { tag?: unknown } | undefined)?.tag;
    if (typeof tag !== "string") throw error;
    return {
      error:
        tag === "HTTP-request-denied"
          ? "destination-not-allowed"
          : tag === "HTTP-request-URI-invalid"
            ? "invalid-url"
            : "request-error",
    };
  }
  if (!answered || answered.tag === "err" || answered.val.tag === "err") return { error: "request-error" };
  const response = answered.val.val;
  const stream = response.consume().stream();
  const chunks: Uint8Array[] = [];
  for (;;) {
    try {
      chunks.push(stream.blockingRead(1n << 20n));
    } catch {
      break;
    }
  }
  return {
    status: response.status(),
    headers: response
      .headers()
      .entries()
      .map(([name, value]) => [name, DECODER.decode(value)]),
    body: Buffer.concat(chunks),
  };
}
