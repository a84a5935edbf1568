/**
 * A manifest route parsed once at start. Spin's rules: segments are literals or `:name`
 * parameters (one segment each), and a trailing `/...` matches the prefix itself and anything
 * below it. A trailing slash is not significant (`/a/` is `/a`).
 */
export interface RoutePattern {
  /** The route as written in the manifest. */
  raw: string;
  /** Normalised: no trailing slash, `/...` kept (duplicates compare on this). */
  normalized: string;
  segments: Segment[];
  wildcard: boolean;
  /** The route without its wildcard (`/api` for `/api/...`, `` for `/...`): Spin's component route. */
  componentRoute: string;
}

export type Segment = { literal: string } | { param: string };

export function parseRoute(raw: string): RoutePattern {
  let body = raw.trim();
  let wildcard = false;
  if (body === "/..." || body.endsWith("/...")) {
    wildcard = true;
    body = body.slice(0, -4);
  }
  const segments: Segment[] = body
    .split("/")
    .filter((s) => s !== "")
    .map((s) => (s.startsWith(":") && s.length > 1 ? { param: s.slice(1) } : { literal: s }));
  const componentRoute = segments.length === 0 ? "" : "/" + body.split("/").filter((s) => s !== "").join("/");
  const normalized = wildcard ? `${componentRoute}/...` : componentRoute || "/";
  return { raw, normalized, segments, wildcard, componentRoute };
}

/** Splits a request path into segments (empty ones dropped, as Spin does for matching). */
export function pathSegments(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}
