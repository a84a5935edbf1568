import type { HttpTarget } from "../http-target.js";
import { displayRoute } from "./spin-route.js";

export interface RouteEntry {
  route: string;
  target: HttpTarget;
}

/** A definition that a later one with the same route replaced, so it is never used. */
export interface DuplicateRoute {
  /** The route as Spin prints it (its based form: `/foo/` → `/foo`, `/` stays `/`). */
  route: string;
  /** The definition that is never used. */
  target: HttpTarget;
  /** The later definition that is used instead (at the time it replaced this one). */
  effectiveTarget: HttpTarget;
}

/**
 * Spin's duplicate handling (`Router::build`, an `IndexMap` keyed by the route exactly as
 * written): a later definition of the same route string replaces the earlier one but keeps its
 * place in the order, and the replaced one is reported. Routes that differ only in spelling
 * (`/a` and `/a/`) are not duplicates here; both are routed and the earlier one wins the tie.
 */
export function dedupeRoutes(entries: Iterable<RouteEntry>): { kept: RouteEntry[]; duplicates: DuplicateRoute[] } {
  const byRoute = new Map<string, RouteEntry>();
  const duplicates: DuplicateRoute[] = [];
  for (const entry of entries) {
    const replaced = byRoute.get(entry.route);
    byRoute.set(entry.route, entry);
    if (replaced)
      duplicates.push({ route: displayRoute(replaced.route), target: replaced.target, effectiveTarget: entry.target });
  }
  return { kept: [...byRoute.values()], duplicates };
}
