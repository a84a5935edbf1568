import type { RoutedRequest } from "../../request-info.js";
import type { WagiConfig } from "./wagi-config.js";
import type { WagiPayload } from "./wagi-program.js";

/** Main thread: the per-request part of a WAGI job (its argv and CGI environment are made where it runs, if read). */
export function wagiPayload(
  request: RoutedRequest,
  config: WagiConfig,
  component: { environment: Array<[string, string]> },
): WagiPayload {
  return { request, argv: config.argv, environment: component.environment, entrypoint: config.entrypoint };
}
