import { moduleOutline } from "../../../../engine/wasm/module-outline.js";
import { WispError } from "../../../../errors/wisp-error.js";

/** What Spin 1's SDKs export from an HTTP handler module (Spin's first HTTP ABI). */
const SPIN_1_HTTP_EXPORTS = ["handle-http-request", "spin_http_handle_http_request"];

/**
 * Why the wasi:http executor will not run a core module (`bytes`) that carries no component type
 * (one that does is made a component, see asComponent), in the words of what the module is: a
 * module of Spin's first HTTP ABI, or a WASI command (WAGI's).
 */
export function moduleRefusal(id: string, file: string, bytes: Uint8Array): WispError {
  const { exports } = moduleOutline(bytes);
  const what = `component ${id}: ${file} is a WASI preview1 module, not a wasi:http component`;
  if (exports.some((name) => SPIN_1_HTTP_EXPORTS.includes(name)))
    return new WispError(
      "COMPONENT_INVALID_WASM",
      `${what}: it is built for Spin's first HTTP ABI (Spin 1 SDKs; it exports handle-http-request), which this version of Wisp does not run`,
      "rebuild it with a Spin 2 or 3 SDK (see the README's compatibility table)",
    );
  return new WispError(
    "COMPONENT_INVALID_WASM",
    what,
    'serve it with the WAGI executor: executor = { type = "wagi" } on its [[trigger.http]]',
  );
}
