import type { ComponentTarget } from "../../http-target.js";
import type { RoutedRequest } from "../../request-info.js";
import type { WagiPayload } from "./wagi-program.js";

/** Main thread: the per-request part of a WAGI job (its argv and CGI environment are made where it runs, if read). */
export function wagiPayload(target: ComponentTarget, request: RoutedRequest): WagiPayload {
  return { request, argv: target.wagiArgv, environment: target.environment, entrypoint: target.wagiEntrypoint };
}
