import { btreeOrder } from "./btree-order.js";
import type { RouteSpec, Segment } from "./route-spec.js";

/**
 * routefinder's precedence (`RouteSpec`'s `Ord` in route_spec.rs and `Segment`'s in segment.rs):
 * its router keeps patterns in a `BTreeMap` ordered by it and answers with the first that matches.
 *
 * Two patterns are compared segment by segment, the first difference deciding, with
 * literal > param > wildcard (a slash is below all three); then the one with more dots wins; then
 * the one with fewer segments. So `/a/b` beats `/a/:x` beats `/a/...` (`/a/*`), `/a/b/...` beats
 * `/a/...`, `/a` beats `/a/...`, and `/...` comes last. Patterns that tie keep the order they were
 * added in (routefinder never reports two patterns as equal, so the later one goes after). With dots
 * the comparison is not always transitive, which is why the order is the B-tree's (btree-order.ts).
 */

/** Negative when `a` goes first (is more specific), positive when `b` does; never 0. */
export function comparePrecedence(a: RouteSpec, b: RouteSpec): number {
  const shared = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < shared; i++) {
    const c = compareSegment(a.segments[i]!, b.segments[i]!);
    if (c !== 0) return -c;
  }
  if (a.dots !== b.dots) return a.dots > b.dots ? -1 : 1;
  if (a.segments.length !== b.segments.length) return a.segments.length < b.segments.length ? -1 : 1;
  return 1;
}

/** Items in routefinder's order: the order of its `BTreeMap` when they are added one by one. */
export function precedenceOrder<T>(items: Iterable<T>, spec: (item: T) => RouteSpec): T[] {
  return btreeOrder(items, (a, b) => comparePrecedence(spec(a), spec(b)));
}

/** `Segment::cmp`, kept as written in routefinder (including its asymmetries around dots). */
function compareSegment(a: Segment, b: Segment): number {
  const x = a.kind;
  const y = b.kind;
  if (x === y) return 0;
  if ((x === "dot" && y === "slash") || (x === "slash" && y === "dot")) return 0;
  switch (x) {
    case "dot":
    case "exact":
      return 1;
    case "param":
      return y === "exact" ? -1 : 1;
    case "wildcard":
      return y === "exact" || y === "param" ? -1 : 1;
    case "slash":
      return -1;
  }
}
