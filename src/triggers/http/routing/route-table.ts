import type { HttpRouter, HttpTarget, RouteHit } from "../http-target.js";
import { parseRoute, pathSegments, type RoutePattern } from "./route-pattern.js";

interface Entry {
  pattern: RoutePattern;
  target: HttpTarget;
}

/**
 * Spin's HTTP routing: an exact route beats a parameterised one, which beats a wildcard; among
 * wildcards the longest prefix wins. As in Spin, the last definition of a duplicated route wins;
 * the ones it replaces are reported in `duplicates` so `wisp up` can warn that they are never used. Literal routes are a Map lookup; the rest
 * are tried in precedence order, which is computed once here, not per request.
 */
export class RouteTable implements HttpRouter {
  private constructor(
    private readonly literal: Map<string, Entry>,
    private readonly ordered: Entry[],
    /** Definitions replaced by a later one with the same route. */
    readonly duplicates: Array<{ route: string; target: HttpTarget }>,
  ) {}

  static build(entries: ReadonlyArray<{ route: string; target: HttpTarget }>): RouteTable {
    const byRoute = new Map<string, Entry>();
    const duplicates: Array<{ route: string; target: HttpTarget }> = [];
    for (const { route, target } of entries) {
      const pattern = parseRoute(route);
      const replaced = byRoute.get(pattern.normalized);
      if (replaced) {
        duplicates.push({ route: replaced.pattern.raw, target: replaced.target });
        byRoute.delete(pattern.normalized);
      }
      byRoute.set(pattern.normalized, { pattern, target });
    }
    const literal = new Map<string, Entry>();
    const ordered: Entry[] = [];
    for (const entry of byRoute.values()) {
      const { pattern } = entry;
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
