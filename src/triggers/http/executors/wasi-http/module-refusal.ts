import { WispError } from "../../../../errors/wisp-error.js";

/**
 * Why the wasi:http executor will not run a core module that carries no component type (one that
 * does is made a component, see asComponent) and is not built for Spin's first HTTP ABI (see
 * spin1/): a WASI command, which WAGI serves.
 */
export function moduleRefusal(id: string, file: string): WispError {
  return new WispError(
    "COMPONENT_INVALID_WASM",
    `component ${id}: ${file} is a WASI preview1 module, not a wasi:http component (it carries no component type and exports no handle-http-request)`,
    'serve it with the WAGI executor: executor = { type = "wagi" } on its [[trigger.http]]',
  );
}
