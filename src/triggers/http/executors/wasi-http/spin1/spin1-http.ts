import { JobFailed } from "../../../../../engine/worker/job.js";
import type { Spin1Memory } from "./spin1-memory.js";

/** Spin 1's `method` enum, in its order (`http-types.wit`): a request's method is its index. */
export const SPIN1_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const;

/**
 * Spin 1's `request` record (without `params`, which Spin never fills): what `handle-http-request`
 * is called with, and what a guest's outbound request is.
 */
export interface Spin1HttpRequest {
  /** Upper-case, one of Spin 1's seven. */
  method: string;
  /** An inbound request's path and query, as Spin passes it; an outbound one's whole URL. */
  uri: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body: Uint8Array | undefined;
}

/** Spin 1's `response` record, its options absent as empty. */
export interface Spin1HttpResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

/**
 * Calls Spin 1's `handle-http-request(request) -> response` (wit-bindgen 0.2's ABI): the request
 * flattened into ten arguments (method, uri, headers, params, option<body>), the response read
 * from the area whose address it returns (status at 0, option<headers> at 4, option<body> at 16).
 * Spin passes no params. Returns undefined for a method Spin 1's enum has no case for.
 */
export function callSpin1Handler(
  handle: (...args: number[]) => number,
  memory: Spin1Memory,
  request: Spin1HttpRequest,
): Spin1HttpResponse | undefined {
  const method = SPIN1_METHODS.indexOf(request.method as (typeof SPIN1_METHODS)[number]);
  if (method < 0) return undefined;
  const [uri, uriLength] = memory.putString(request.uri);
  const [headers, headerCount] = memory.putPairs(request.headers);
  const [body, bodyLength] = request.body ? memory.putBytes(request.body) : [0, 0];
  const at = handle(method, uri, uriLength, headers, headerCount, 0, 0, request.body ? 1 : 0, body, bodyLength);
  try {
    return {
      status: memory.u16(at),
      headers: memory.u8(at + 4) ? memory.pairs(memory.u32(at + 8), memory.u32(at + 12)) : [],
      body: memory.u8(at + 16) ? memory.bytes(memory.u32(at + 20), memory.u32(at + 24)) : new Uint8Array(),
    };
  } catch (error) {
    // A response that points outside the guest's memory, or headers that are not UTF-8.
    throw new JobFailed(
      500,
      `the module's response could not be read (Spin's first HTTP ABI, at address ${at >>> 0}): ${(error as Error).message}`,
    );
  }
}
