/** Where an outgoing request goes: its final URL, and whether that is the app itself. */
export interface RequestTarget {
  url: URL;
  /** A request without an authority, or to `self.alt`: the app's own origin, granted by `self`. */
  self: boolean;
}

/** Why a request has no target: its URI is malformed, or its scheme is not http or https. */
export type TargetRefusal = "HTTP-request-URI-invalid" | "HTTP-protocol-error";

/**
 * The URL a guest's outgoing request is sent to. The path is appended to the origin as a path,
 * never resolved against it: resolving `//other:9/x` (or, for http, `/\other:9/x`) against an
 * origin gives another authority, which would escape the check made on that origin. The result
 * always has the origin it was built from; the grant is checked on this URL and nothing else.
 */
export function requestTarget(
  scheme: { tag: string; val?: unknown } | undefined,
  authority: string | undefined,
  pathWithQuery: string | undefined,
  selfOrigin: string | undefined,
): RequestTarget | TargetRefusal {
  // wasmtime refuses other schemes the same way; fetch would try file:, data: and the like.
  const protocol =
    scheme === undefined || scheme.tag === "HTTP" ? "http" : scheme.tag === "HTTPS" ? "https" : undefined;
  if (protocol === undefined) return "HTTP-protocol-error";
  // Spin accepts `self.alt` for SDKs whose fetch needs an absolute URL (JavaScript's does).
  const self = !authority || /^self\.alt(:\d+)?$/i.test(authority);
  const path = pathWithQuery || "/";
  if (!path.startsWith("/")) return "HTTP-request-URI-invalid";
  let origin: URL;
  let url: URL;
  try {
    origin = new URL(self ? (selfOrigin ?? "") : `${protocol}://${authority}`);
    url = new URL(`${origin.origin}${path}`);
  } catch {
    return "HTTP-request-URI-invalid";
  }
  // An authority is host[:port]: user info, a path or a query smuggled into it is refused.
  const bare = !origin.username && !origin.password && origin.pathname === "/" && !origin.search && !origin.hash;
  if (!bare || url.origin !== origin.origin || url.username || url.password) return "HTTP-request-URI-invalid";
  return { url, self };
}

/**
 * Whether a request reaches the app itself: addressed as `self`, or to the app's own origin
 * granted by name, which is counted as self too (see self-requests.ts).
 */
export function reachesSelf(target: RequestTarget, selfOrigin: string | undefined): boolean {
  if (target.self) return true;
  if (selfOrigin === undefined) return false;
  try {
    return new URL(selfOrigin).origin === target.url.origin;
  } catch {
    return false;
  }
}
