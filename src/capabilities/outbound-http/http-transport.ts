import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/**
 * Main thread: the wire under a wasi:http 0.3 guest's requests (node:http, not fetch): HTTP
 * trailers both ways, which fetch cannot send or show. One keep-alive pool per scheme, shared by
 * every worker, as fetch's is.
 */
const AGENTS = {
  "http:": new HttpAgent({ keepAlive: true }),
  "https:": new HttpsAgent({ keepAlive: true }),
};

/** What goes on the wire: the guest's request, its headers already checked and stamped. */
export interface WireRequest {
  method: string;
  url: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body?: Uint8Array;
  /** Sent after the body, which is then chunked (a trailer section needs chunked framing). */
  trailers?: ReadonlyArray<readonly [string, string]>;
}

/** The response as it arrives: its head now, its body read from `message`, its trailers after. */
export interface WireResponse {
  status: number;
  headers: Array<[string, string]>;
  message: IncomingMessage;
}

/** Headers a client may not set on an outgoing request: the transport owns them (fetch's and node:http's alike). */
export const TRANSPORT_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  "upgrade",
]);

/** Sends the request; answers when the head has come. `signal` ends it at any point. */
export function sendOverWire(request: WireRequest, signal: AbortSignal): Promise<WireResponse> {
  const url = new URL(request.url);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of request.headers) {
    const key = name.toLowerCase();
    if (TRANSPORT_HEADERS.has(key)) continue;
    const had = headers[key];
    headers[key] = had === undefined ? value : [...(Array.isArray(had) ? had : [String(had)]), value];
  }
  const chunked = request.trailers !== undefined && request.trailers.length > 0;
  if (chunked) headers["transfer-encoding"] = "chunked";
  else if (request.body && request.body.length > 0) headers["content-length"] = String(request.body.length);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(url, {
      method: request.method,
      headers,
      agent: url.protocol === "https:" ? AGENTS["https:"] : AGENTS["http:"],
      signal,
    });
    outgoing.on("error", reject);
    outgoing.on("response", (message) => {
      const pairs: Array<[string, string]> = [];
      for (let i = 0; i < message.rawHeaders.length; i += 2)
        pairs.push([message.rawHeaders[i]!, message.rawHeaders[i + 1]!]);
      resolve({ status: message.statusCode ?? 502, headers: pairs, message });
    });
    if (request.body && request.body.length > 0) outgoing.write(request.body);
    if (chunked) outgoing.addTrailers(request.trailers!.map(([name, value]) => [name, value] as [string, string]));
    outgoing.end();
  });
}

/** The trailer section a response ended with, as pairs (undefined when it sent none). */
export function trailersOf(message: IncomingMessage): Array<[string, string]> | undefined {
  const raw = message.rawTrailers;
  if (raw.length === 0) return undefined;
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}
