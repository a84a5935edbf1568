import { parseRouteSpec, type RouteSpec } from "./route-spec.js";

/**
 * A manifest route as Spin's router prepares it (crate spin-http-routes, `Router::build`,
 * `sanitize_with_base`, `parse_route`, and `RouteMatch`'s accessors), with the base fixed at `/`
 * as Spin's HTTP trigger has it.
 */
export interface SpinRoute {
  /** As written in the manifest: `spin-raw-component-route`. */
  readonly raw: string;
  /**
   * Spin's "based" route: `/` prepended when missing, then ONE trailing `/` removed, so `/` is
   * `` and `/foo/` is `/foo`. This is `spin-matched-route` and what duplicates are reported as.
   */
  readonly based: string;
  /** `raw` without a trailing `/...` (`/api` for `/api/...`, `` for `/...`): `spin-component-route`. */
  readonly componentRoute: string;
  /** The routefinder pattern: `based` with a trailing `/...` written as `/*`. */
  readonly spec: RouteSpec;
}

const WILDCARD_SUFFIX = "/...";

/** Spin's `sanitize_with_base("/", raw)`. */
export function basedRoute(raw: string): string {
  const absolute = raw.startsWith("/") ? raw : `/${raw}`;
  return absolute.endsWith("/") ? absolute.slice(0, -1) : absolute;
}

/** Throws RouteSyntaxError for a route Spin refuses (or would panic on, see route-spec.ts). */
export function parseSpinRoute(raw: string): SpinRoute {
  const based = basedRoute(raw);
  const wildcard = based.endsWith(WILDCARD_SUFFIX);
  const source = wildcard ? `${based.slice(0, -WILDCARD_SUFFIX.length)}/*` : based;
  return {
    raw,
    based,
    componentRoute: stripWildcard(raw),
    spec: parseRouteSpec(source),
  };
}

/** Spin's `strip_suffix("/...")`: only the `/...` form, never `/*`. */
function stripWildcard(route: string): string {
  return route.endsWith(WILDCARD_SUFFIX) ? route.slice(0, -WILDCARD_SUFFIX.length) : route;
}

/** How Spin prints a duplicated route (`DuplicateRoute::route`): the based route, `` shown as `/`. */
export function displayRoute(raw: string): string {
  return basedRoute(raw) || "/";
}
