/**
 * A route pattern as the `routefinder` crate (0.5.4, the one Spin's router is built on) parses and
 * matches it. This is the layer below Spin's own rules (see spin-route.ts): Spin turns a manifest
 * route into a routefinder pattern (`/api/...` becomes `/api/*`), and routefinder does the matching.
 *
 * Reproduced from routefinder's `route_spec.rs` and `segment.rs`:
 * - the pattern's leading and trailing slashes are ignored, and it is cut at every `/` and `.`;
 *   a piece is `*` (the wildcard), `:name` (a param) or literal text; empty pieces vanish, so
 *   `/a//b` is `/a/b`. A `.` before a piece is glued onto a literal just before it (`foo.json` is
 *   one literal), or else becomes a dot segment (`:name.json`).
 * - the request path's leading and trailing slashes are ignored too (`/hello/` is `/hello`),
 *   but slashes inside it are not (`/a//b` does not match `/a/b`).
 * - a literal matches by prefix, a param takes up to the next `/` (or `.` when a dot follows it in
 *   the pattern) and must not start at the end of the path, the wildcard takes the rest (maybe
 *   nothing: `/a/*` matches `/a`).
 */
export type Segment =
  | { readonly kind: "slash" }
  | { readonly kind: "dot" }
  | { readonly kind: "exact"; readonly text: string }
  | { readonly kind: "param"; readonly name: string }
  | { readonly kind: "wildcard" };

export interface RouteSpec {
  readonly segments: readonly Segment[];
  /** The number of dot segments (routefinder's tie-breaker after the segments themselves). */
  readonly dots: number;
  /** For a pattern of literals only: the one (slash-trimmed) path it matches; else undefined. */
  readonly literal: string | undefined;
  /** What every (slash-trimmed) path it matches starts with: a cheap test before matchSpec. */
  readonly prefix: string;
}

export interface SpecMatch {
  /** Param captures in pattern order (a repeated name appears twice; the later one wins in Spin). */
  params: Array<[string, string]>;
  /** What the wildcard took, when the pattern has one. */
  wildcard: string | undefined;
}

/** A pattern routefinder refuses, or one it accepts but would panic on when matching. */
export class RouteSyntaxError extends Error {}

const SLASH: Segment = Object.freeze({ kind: "slash" });
const DOT: Segment = Object.freeze({ kind: "dot" });
const WILDCARD: Segment = Object.freeze({ kind: "wildcard" });

/** Strips every leading and trailing `/`, as routefinder does to both patterns and paths. */
export function trimSlashes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 47) start++;
  while (end > start && text.charCodeAt(end - 1) === 47) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

export function parseRouteSpec(source: string): RouteSpec {
  const trimmed = trimSlashes(source);
  // routefinder finds separators by byte offset but reads the character before a piece with
  // `chars().nth(offset)`: the two only agree for ASCII, and we keep its reading for the rest.
  const bytes = Buffer.from(trimmed, "utf8");
  const chars = Array.from(trimmed);
  const segments: Segment[] = [];
  let last = 0;
  for (let index = 0; index <= bytes.length; index++) {
    if (index < bytes.length && bytes[index] !== 0x2e && bytes[index] !== 0x2f) continue;
    const before = last === 0 ? undefined : chars[last - 1];
    const piece = bytes.subarray(last, index).toString("utf8");
    last = index + 1;
    const segment = pieceSegment(piece);
    if (before === ".") {
      const previous = segments[segments.length - 1];
      if (previous?.kind === "exact") segments[segments.length - 1] = { kind: "exact", text: previous.text + "." };
      else segments.push(DOT);
    }
    if (segment) {
      if (before === "/") segments.push(SLASH);
      segments.push(segment);
    }
  }
  checkMatchable(segments);
  const fixed = segments.findIndex((s) => s.kind === "param" || s.kind === "wildcard");
  const leading = render(fixed < 0 ? segments : segments.slice(0, fixed));
  return {
    segments,
    dots: segments.filter((s) => s.kind === "dot").length,
    literal: fixed < 0 ? leading : undefined,
    // A slash just before a wildcard may be missing from the path (`/a/*` matches `a`).
    prefix: fixed >= 0 && leading.endsWith("/") ? leading.slice(0, -1) : leading,
  };
}

function render(literals: readonly Segment[]): string {
  return literals.map((s) => (s.kind === "exact" ? s.text : s.kind === "dot" ? "." : "/")).join("");
}

function pieceSegment(piece: string): Segment | undefined {
  if (piece === "") return undefined;
  if (piece === "*") return WILDCARD;
  if (piece.startsWith("*")) {
    throw new RouteSyntaxError(
      `since there can only be one wildcard, it doesn't need a name. replace \`${piece}\` with \`*\``,
    );
  }
  if (piece === ":") throw new RouteSyntaxError("params must be named");
  if (piece.startsWith(":")) return { kind: "param", name: piece.slice(1) };
  return { kind: "exact", text: piece };
}

/**
 * routefinder accepts these patterns but panics when a request reaches them while matching
 * (a wildcard that is not last, a param glued to the next piece): we refuse them up front.
 */
function checkMatchable(segments: readonly Segment[]): void {
  segments.forEach((segment, i) => {
    const next = segments[i + 1];
    if (segment.kind === "wildcard" && next) {
      throw new RouteSyntaxError("a wildcard must be the last part of a route");
    }
    if (segment.kind === "param" && next && next.kind !== "slash" && next.kind !== "dot") {
      throw new RouteSyntaxError(`param :${segment.name} must be followed by '/', '.' or the end of the route`);
    }
  });
}

/** Matches a slash-trimmed request path (see trimSlashes) against a pattern. */
export function matchSpec(spec: RouteSpec, path: string): SpecMatch | undefined {
  if (!path.startsWith(spec.prefix)) return undefined;
  const segments = spec.segments;
  const params: Array<[string, string]> = [];
  let wildcard: string | undefined;
  let rest = path;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const next = segments[i + 1];
    switch (segment.kind) {
      case "exact":
        if (!rest.startsWith(segment.text)) return undefined;
        rest = rest.slice(segment.text.length);
        break;
      case "param": {
        if (rest === "") return undefined;
        let end: number;
        if (next?.kind === "dot") {
          end = firstDotOrSlash(rest);
          if (end < 0 || rest.charCodeAt(end) !== 46) return undefined;
        } else {
          end = rest.indexOf("/");
          if (end < 0) end = rest.length;
        }
        params.push([segment.name, rest.slice(0, end)]);
        rest = rest.slice(end);
        break;
      }
      case "wildcard":
        wildcard = rest;
        rest = "";
        break;
      case "slash":
        if (rest.charCodeAt(0) === 47 && next) rest = rest.slice(1);
        else if (!(rest === "" && (!next || next.kind === "wildcard"))) return undefined;
        break;
      case "dot":
        if (rest.charCodeAt(0) !== 46) return undefined;
        rest = rest.slice(1);
        break;
    }
  }
  return rest === "" || rest === "/" ? { params, wildcard } : undefined;
}

function firstDotOrSlash(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 47) return i;
  }
  return -1;
}
