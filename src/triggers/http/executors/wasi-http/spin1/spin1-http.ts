import { JobFailed } from "../../../../../engine/worker/job.js";
import type { Spin1Memory } from "./spin1-memory.js";

/** Spin 1's `method` enum, in its order (`http-types.wit`): a request's method is its index. */
export const SPIN1_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const;

/** What `handle-http-request` is called with, before it is lowered into the guest's memory. */
export interface Spin1Request {
  method: string;
  /** Path and query, as Spin 1 passed the request's URI. */
  uri: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body: Uint8Array | undefined;
}

export interface Spin1Response {
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
  request: Spin1Request,
): Spin1Response | undefined {
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
