import { spinHeaders, type RoutedRequest } from "../../request-info.js";
import type { WasiHttpPayload } from "./wasi-http-program.js";

/** Main thread: the request as the component sees it, with Spin's headers added. */
export function wasiHttpPayload(request: RoutedRequest): WasiHttpPayload {
  return {
    method: request.method,
    pathWithQuery: request.pathWithQuery,
    scheme: request.scheme,
    authority: request.authority,
    headers: [...request.headers, ...spinHeaders(request)],
    selfOrigin: request.selfOrigin,
  };
}
