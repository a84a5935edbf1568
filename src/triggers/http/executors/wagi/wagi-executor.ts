import type { HttpExecutor } from "../executor.js";
import { DEFAULT_WAGI_ARGV, DEFAULT_WAGI_ENTRYPOINT, WAGI_TABLE, type WagiConfig } from "./wagi-config.js";
import { wagiPayload } from "./wagi-payload.js";

/**
 * WAGI: a WASI preview1 module run as a CGI script per request (the request body on stdin, CGI
 * output on stdout). Its guests usually run on the server's own thread (see wagi-inline).
 */
export const wagiExecutor: HttpExecutor<"wagi", WagiConfig> = {
  kind: "wagi",
  runs: "module",
  manifest: {
    ...WAGI_TABLE,
    // An empty entrypoint means the default, as an absent one does.
    config: (options) => ({
      argv: options.argv ?? DEFAULT_WAGI_ARGV,
      entrypoint: options.entrypoint || DEFAULT_WAGI_ENTRYPOINT,
    }),
  },
  defaultConfig: { argv: DEFAULT_WAGI_ARGV, entrypoint: DEFAULT_WAGI_ENTRYPOINT },
  inlineFirst: true,
  workerModule: "triggers/http/executors/wagi/wagi-program.js",
  loadPreparation: async () => (await import("./wagi-prepare.js")).prepareWagi,
  payload: wagiPayload,
};
