import { spinHeaders, type RoutedRequest } from "../../request-info.js";

/** Main thread: the request as the component sees it, with Spin's headers added. */
export function wasiHttpPayload(request: RoutedRequest): WasiHttpPayload {
  return {
    method: request.method,
    pathWithQuery: request.pathWithQuery,
    scheme: request.scheme,
    authority: request.authority,
    headers: [...request.headers, ...spinHeaders(request)],
    ...(request.trailers ? { trailers: request.trailers } : {}),
    selfOrigin: request.selfOrigin,
  };
}

/** One request, as built on the main thread (Spin's `spin-*` headers already added). */
export interface WasiHttpPayload {
  method: string;
  pathWithQuery: string;
  scheme: "http" | "https";
  authority: string;
  headers: Array<[string, string]>;
  /** The body's trailers, when they came before the guest ran (see RoutedRequest.trailers). */
  trailers?: Array<[string, string]>;
  /** `http://host:port` of this server, for requests the component makes to the app itself. */
  selfOrigin: string;
}
