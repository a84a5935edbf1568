import type { ComponentTarget } from "../../http-target.js";
import type { RoutedRequest } from "../../request-info.js";
import { cgiArgv, cgiEnvironment } from "./cgi-env.js";
import type { WagiPayload } from "./wagi-program.js";

/** Main thread: the per-request part of a WAGI job (argv + CGI environment). */
export function wagiPayload(target: ComponentTarget, request: RoutedRequest): WagiPayload {
  return { argv: cgiArgv(target.wagiArgv, request), env: cgiEnvironment(request, target.environment), entrypoint: target.wagiEntrypoint };
}
