/**
 * What the HTTP server knows about a routed request, computed once on the main thread and used by
 * both executors (as Spin's `spin-*` headers for wasi:http, as CGI variables for WAGI).
 */
export interface RoutedRequest {
  method: string;
  /** Path and query exactly as the client sent them (`/a/b?x=1`). */
  pathWithQuery: string;
  path: string;
  query: string;
  scheme: "http" | "https";
  /** `host[:port]` from the Host header, or the listen address. */
  authority: string;
  /** Raw header pairs, lowercase names, without client-supplied `spin-*` headers. */
  headers: Array<[string, string]>;
  /** The trailers of a chunked body read whole before the guest ran, lowercase names. */
  trailers?: Array<[string, string]>;
  clientAddr: string;
  /** `http://host:port` this server answered on (for a component's requests to its own app). */
  selfOrigin: string;
  route: {
    /** The manifest's route (`/hello/...`). */
    raw: string;
    /** The route with base and without the wildcard, as Spin's `spin-component-route`. */
    componentRoute: string;
    /** Spin's `spin-matched-route`. */
    matched: string;
    /** The part of the path after the component route (`spin-path-info`). */
    pathInfo: string;
    params: Record<string, string>;
  };
}

/** Spin's request headers, as Spin's HTTP trigger adds them to every request. */
export function spinHeaders(request: RoutedRequest): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ["spin-full-url", `${request.scheme}://${request.authority}${request.pathWithQuery}`],
    ["spin-path-info", request.route.pathInfo],
    ["spin-matched-route", request.route.matched],
    ["spin-base-path", "/"],
    ["spin-raw-component-route", request.route.raw],
    ["spin-component-route", request.route.componentRoute],
    ["spin-client-addr", request.clientAddr],
  ];
  // Spin names these SPIN_PATH_MATCH_<NAME> and turns that into a header: `_` to `-`, lower case.
  for (const [name, value] of Object.entries(request.route.params)) {
    headers.push([`spin-path-match-${name.replaceAll("_", "-").toLowerCase()}`, value]);
  }
  return headers;
}
