import type { ErrorCode } from "../../generated/wasi@0.2.12/interfaces/wasi-http-types.js";

/**
 * The host calls of outbound HTTP: what `wasi:http/outgoing-handler` asks of main, and what main
 * answers. Imported as types only, by both threads.
 */
export interface OutboundHttpHostCalls {
  /** One request sent by main (fetchForGuest); its failure is an outcome, not a thrown error. */
  "http.fetch": { args: FetchArgs; answer: FetchOutcome };
  /**
   * wasi:http 0.3: the request sent, answered when its head has come; the body is then read as it
   * arrives (`http.read`, until null), or let go of (`http.cancel`). `maxResponseBytes` does not
   * apply: nothing is buffered.
   */
  "http.open": { args: FetchArgs; answer: OpenedOutcome };
  "http.read": { args: { bodyId: number }; answer: BodyPart };
  "http.cancel": { args: { bodyId: number }; answer: void };
}

/** What the worker asks main to send (the guest's outgoing request, fully buffered). */
export interface FetchArgs {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  /** A request to the app itself: counted, and its guest's thread parked while it waits (see self-requests.ts). */
  self?: boolean;
  body?: Uint8Array;
  /** wasi:http 0.3: the request's trailer section, sent after its (then chunked) body. */
  trailers?: Array<[string, string]>;
  timeoutMs: number;
  maxResponseBytes: number;
}

export type FetchOutcome =
  | { ok: true; status: number; headers: Array<[string, string]>; body: Uint8Array }
  | { ok: false; error: ErrorCode; message: string };

/** `http.open`'s answer: the head, with the body still open on main (`bodyId`), or already whole. */
export type OpenedOutcome =
  | { ok: true; status: number; headers: Array<[string, string]>; bodyId: number }
  | Extract<FetchOutcome, { ok: true }>
  | Extract<FetchOutcome, { ok: false }>;

/** `http.read`'s answer: the body's next chunk, or its end with the trailer section it closed with. */
export type BodyPart = { chunk: Uint8Array } | { end: true; trailers?: Array<[string, string]> };
