import type { ResponseHead } from "../../engine/worker/protocol.js";

/**
 * Headers that frame the message on its connection: the server's business, never a guest's.
 * A guest's `content-length` smaller than its body would let the rest be read as the next
 * response on a keep-alive connection; so these are dropped from whatever a guest sends, and the
 * server frames the body it actually got (a content-length for a whole body, chunked otherwise).
 * The list is wasi:http's forbidden headers (as wasmtime and Spin refuse them) plus the framing
 * ones HTTP/1.1 defines (RFC 9110 §7.6.1, RFC 9112 §6).
 */
const FRAMING_HEADERS: ReadonlySet<string> = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "proxy-connection",
  "http2-settings",
]);

/** RFC 9110 §5.1: a field name is a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 9110 §5.5: a field value is visible characters, spaces, tabs and obs-text; no control characters. */
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

export type CheckedHead = { ok: true; head: ResponseHead } | { ok: false; problem: string };

/**
 * Checks the head a guest wrote before it reaches the socket: a final status (200-599), header
 * names that are tokens, values without control characters, and no framing headers (dropped, see
 * FRAMING_HEADERS). A bad head is the guest's fault: the caller answers 502 and logs `problem`.
 * Node would throw on most of these from inside `writeHead`, where nothing catches it.
 */
export function checkResponseHead(head: ResponseHead): CheckedHead {
  const { status, headers } = head;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    return { ok: false, problem: `it returned status ${status}, which is not a final HTTP status (200-599)` };
  }
  let kept: Array<[string, string]> | undefined;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    if (!TOKEN.test(name)) return { ok: false, problem: `it returned an invalid header name ${shown(name)}` };
    if (INVALID_VALUE_CHAR.test(value)) {
      return {
        ok: false,
        problem: `its header ${shown(name)} has a control or non-latin1 character in its value ${shown(value)}`,
      };
    }
    if (FRAMING_HEADERS.has(name.toLowerCase())) kept ??= headers.slice(0, i);
    else kept?.push([name, value]);
  }
  return { ok: true, head: kept ? { status, headers: kept } : head };
}

/** A quoted string with every control character escaped (JSON leaves DEL and C1 as they are). */
function shown(text: string): string {
  return JSON.stringify(text).replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Fields that may not come after a body (RFC 9110 §6.5.1: framing, routing, authentication,
 * response control), beside the framing headers: a trailer can never change how the message was
 * read, whom it is for, or how it is cached.
 */
const NOT_TRAILERS: ReadonlySet<string> = new Set([
  ...FRAMING_HEADERS,
  "host",
  "content-type",
  "content-encoding",
  "content-range",
  "cache-control",
  "expires",
  "date",
  "location",
  "retry-after",
  "vary",
  "set-cookie",
  "authorization",
  "www-authenticate",
  "proxy-authenticate",
]);

export type CheckedTrailers = { ok: true; trailers: Array<[string, string]> } | { ok: false; problem: string };

/**
 * Checks the trailers a guest sent after its body, as its head is checked: names that are tokens,
 * values without control characters; fields that may not be trailers are dropped. A bad field is
 * the guest's fault: the caller sends no trailers and logs `problem` (the body is out already).
 */
export function checkTrailers(fields: ReadonlyArray<readonly [string, string]>): CheckedTrailers {
  const trailers: Array<[string, string]> = [];
  for (const [name, value] of fields) {
    if (!TOKEN.test(name)) return { ok: false, problem: `it sent an invalid trailer name ${shown(name)}` };
    if (INVALID_VALUE_CHAR.test(value))
      return { ok: false, problem: `its trailer ${shown(name)} has a control or non-latin1 character in its value` };
    if (!NOT_TRAILERS.has(name.toLowerCase())) trailers.push([name, value]);
  }
  return { ok: true, trailers };
}
