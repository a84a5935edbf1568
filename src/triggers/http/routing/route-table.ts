import type { HttpRouter, HttpTarget, RouteHit } from "../http-target.js";
import { parseRoute, pathSegments, type RoutePattern } from "./route-pattern.js";

interface Entry {
  pattern: RoutePattern;
  target: HttpTarget;
}

/**
 * Spin's HTTP routing: an exact route beats a parameterised one, which beats a wildcard; among
 * wildcards the longest prefix wins; the first definition of a duplicated route wins (later ones
 * are reported in `duplicates` so `wisp up` can warn). Literal routes are a Map lookup; the rest
 * are tried in precedence order, which is computed once here, not per request.
 */
export class RouteTable implements HttpRouter {
  private constructor(
    private readonly literal: Map<string, Entry>,
    private readonly ordered: Entry[],
    readonly duplicates: Array<{ route: string }>,
  ) {}

  static build(entries: ReadonlyArray<{ route: string; target: HttpTarget }>): RouteTable {
    const seen = new Set<string>();
    const duplicates: Array<{ route: string }> = [];
    const literal = new Map<string, Entry>();
    const ordered: Entry[] = [];
    for (const { route, target } of entries) {
      const pattern = parseRoute(route);
      if (seen.has(pattern.normalized)) {
        duplicates.push({ route });
        continue;
      }
      seen.add(pattern.normalized);
      const entry = { pattern, target };
      const hasParams = pattern.segments.some((s) => "param" in s);
      if (!pattern.wildcard && !hasParams) literal.set(pattern.normalized, entry);
      else ordered.push(entry);
    }
    ordered.sort((a, b) => precedence(b.pattern) - precedence(a.pattern));
    return new RouteTable(literal, ordered, duplicates);
  }

  match(path: string): RouteHit | undefined {
    const segments = pathSegments(path);
    const exact = this.literal.get(segments.length === 0 ? "/" : "/" + segments.join("/"));
    if (exact) return hit(exact, "", {});
    for (const entry of this.ordered) {
      const params = matchSegments(entry.pattern, segments);
      if (params) return hit(entry, entry.pattern.wildcard ? pathInfo(path, entry.pattern.segments.length) : "", params);
    }
    return undefined;
  }
}

/** Non-wildcard first, then more segments, then more literal segments. */
function precedence(pattern: RoutePattern): number {
  const literals = pattern.segments.filter((s) => "literal" in s).length;
  return (pattern.wildcard ? 0 : 1_000_000) + pattern.segments.length * 1000 + literals;
}

function matchSegments(pattern: RoutePattern, segments: string[]): Record<string, string> | undefined {
  if (pattern.wildcard ? segments.length < pattern.segments.length : segments.length !== pattern.segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.segments.length; i++) {
    const expected = pattern.segments[i]!;
    if ("literal" in expected) {
      if (expected.literal !== segments[i]) return undefined;
    } else {
      params[expected.param] = segments[i]!;
    }
  }
  return params;
}

/** What follows the first `count` segments of the raw path (`/x/y` for `/api/x/y` under `/api/...`). */
function pathInfo(path: string, count: number): string {
  let index = 0;
  for (let seen = 0; seen < count; ) {
    while (path[index] === "/") index++;
    const next = path.indexOf("/", index);
    index = next === -1 ? path.length : next;
    seen++;
  }
  return path.slice(index);
}

function hit(entry: Entry, info: string, params: Record<string, string>): RouteHit {
  return {
    target: entry.target,
    matchedRoute: entry.pattern.raw,
    rawComponentRoute: entry.pattern.raw,
    componentRoute: entry.pattern.componentRoute,
    pathInfo: info,
    params,
  };
}
