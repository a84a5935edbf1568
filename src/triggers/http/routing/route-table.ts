/**
 * Wisp's HTTP route table, reproducing Spin v3's router: crate spin-http-routes
 * (`crates/routes/src/lib.rs`; `crates/http/src/routes.rs` in v3.0), which builds on the
 * `routefinder` crate 0.5.4, and the values Spin's trigger derives from a match
 * (`crates/trigger-http/src/headers.rs`, `crates/http/src/wagi/mod.rs`). Checked against both
 * sources and, case by case, against their code compiled and run (see the golden tests).
 *
 * What is reproduced:
 * - Routes: `/hello` is matched exactly; `:name` captures one path segment (`/users/:id`); a
 *   trailing `/...` (or `/*`) matches the prefix itself and everything below (`/api/...` matches
 *   `/api`, `/api/`, `/api/x/y`, not `/apix`); `/...` matches every path. A route without a
 *   leading `/` gets one, and ONE trailing `/` is dropped (`/foo/` is `/foo`, `/` matches `/`).
 * - Paths are matched raw, percent-encoding and all (Spin routes `uri.path()` undecoded); leading
 *   and trailing slashes of the path do not count (`/hello/` and `//hello` match `/hello`), inner
 *   ones do (`/a//b` does not match `/a/b`). The query is not part of the path.
 * - Precedence (route-order.ts): compared segment by segment, literal > `:param` > wildcard, the
 *   first difference deciding, then the shorter route. So exact beats wildcard (`/a/b` over
 *   `/a/...`), the longer wildcard prefix wins (`/a/b/...` over `/a/...` over `/...`), a literal
 *   beats a param (`/users/me` over `/users/:id`) and, as in Spin, `/a/b/...` beats `/a/:x` for
 *   `/a/b`. Ties keep manifest order (the earlier route wins). `.` also separates (`/:name.json`).
 * - Duplicates (duplicate-routes.ts): the same route string defined again replaces the earlier
 *   definition (the LAST one wins, as in Spin) and the replaced one is reported in `duplicates`.
 * - The hit, i.e. the `spin-*` headers and WAGI variables:
 *   `matchedRoute` = Spin's based route (`spin-matched-route`: `/api/...`; `/foo/` gives `/foo`,
 *   `/` gives ``); `rawComponentRoute` = the route as written; `componentRoute` = the route as
 *   written without a trailing `/...` (`spin-component-route`: `/api`, `` for `/...`);
 *   `pathInfo` = what the wildcard took, slashes restored (`spin-path-info`: `/x/y` for `/api/x/y`,
 *   `` for `/api`, `/` for `/api/`, `/x/` for `/api/x/`, `/` for `/` under `/...`; `` for a route
 *   without wildcard); `params` = the `:name` captures, raw (Spin sends each as
 *   `spin-path-match-<name>`, the name upper-cased then lower-cased with `_` as `-`).
 *
 * Deliberate difference: a route routefinder accepts but panics on when a request reaches it (a `*`
 * that is not the last segment, or a param glued to what follows, which only its mis-parsing of
 * non-ASCII routes produces) is refused at build, like the routes Spin refuses to start with.
 */
import { WispError } from "../../../errors/wisp-error.js";
import type { HttpRouter, HttpTarget, RouteHit } from "../http-target.js";
import { dedupeRoutes, type DuplicateRoute, type RouteEntry } from "./duplicate-routes.js";
import { pathInfo } from "./path-info.js";
import { precedenceOrder } from "./route-order.js";
import { matchSpec, RouteSyntaxError, trimSlashes, type RouteSpec } from "./route-spec.js";
import { basedRoute, parseSpinRoute, type SpinRoute } from "./spin-route.js";

interface Routed {
  route: SpinRoute;
  target: HttpTarget;
}

interface LiteralRoute {
  /** The hit, the same for every request (frozen: it is shared). */
  hit: RouteHit;
  /** How many non-literal routes rank above this one and must be tried first (usually 0). */
  outrankedBy: number;
}

export class RouteTable implements HttpRouter {
  private constructor(
    /** Routes of literals only, by the one slash-trimmed path each matches: one Map lookup. */
    private readonly literals: ReadonlyMap<string, LiteralRoute>,
    /** Routes with params or a wildcard, in precedence order (most specific first). */
    private readonly patterns: readonly Routed[],
    /** Definitions replaced by a later one with the same route (Spin: the last one wins). */
    readonly duplicates: readonly DuplicateRoute[],
  ) {}

  /** Throws a WispError (MANIFEST_INVALID) for a route Spin would refuse. */
  static build(entries: Iterable<RouteEntry>): RouteTable {
    const { kept, duplicates } = dedupeRoutes(entries);
    const routed = kept.map(({ route, target }): Routed => ({ route: parse(route, target), target }));
    const ordered = precedenceOrder(routed, (r): RouteSpec => r.route.spec);
    const literals = new Map<string, LiteralRoute>();
    const patterns: Routed[] = [];
    for (const entry of ordered) {
      const literal = entry.route.spec.literal;
      if (literal === undefined) patterns.push(entry);
      else if (!literals.has(literal)) {
        literals.set(literal, { hit: Object.freeze(hit(entry, "", Object.freeze({}))), outrankedBy: patterns.length });
      }
    }
    return new RouteTable(literals, patterns, duplicates);
  }

  match(path: string): RouteHit | undefined {
    const trimmed = trimSlashes(path);
    const literal = this.literals.get(trimmed);
    const tries = literal ? literal.outrankedBy : this.patterns.length;
    for (let i = 0; i < tries; i++) {
      const entry = this.patterns[i]!;
      const found = matchSpec(entry.route.spec, trimmed);
      if (!found) continue;
      // fromEntries: own properties even for a name like `__proto__`; a repeated name keeps the last.
      return hit(entry, pathInfo(found.wildcard, path), Object.fromEntries(found.params));
    }
    return literal?.hit;
  }
}

function parse(route: string, target: HttpTarget): SpinRoute {
  try {
    return parseSpinRoute(route);
  } catch (error) {
    if (!(error instanceof RouteSyntaxError)) throw error;
    const owner = target.kind === "component" ? ` of component ${target.componentId}` : "";
    throw new WispError(
      "MANIFEST_INVALID",
      `cannot parse route ${basedRoute(route)}${owner}: ${error.message}`,
      "a route is a path like /hello, may have :name segments and may end in /... to match everything below it",
    );
  }
}

function hit(entry: Routed, info: string, params: Record<string, string>): RouteHit {
  return {
    target: entry.target,
    matchedRoute: entry.route.based,
    rawComponentRoute: entry.route.raw,
    componentRoute: entry.route.componentRoute,
    pathInfo: info,
    params,
  };
}
