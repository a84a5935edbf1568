import type { ExecutorTable, HttpExecutor } from "../executor.js";
import type { WasiHttpConfig } from "./wasi-http-config.js";
import { wasiHttpPayload } from "./wasi-http-payload.js";

/** Its manifest table: Spin's default executor (`"spin"` is its older name), with no options. */
const WASI_HTTP_TABLE: ExecutorTable = { types: ["http", "spin"], runs: "for wasi:http components", options: {} };

/**
 * wasi:http: a component exporting `wasi:http/incoming-handler@0.2.x`, instantiated afresh per
 * request. The default executor, and Spin's (`type = "spin"` is its older name).
 */
export const wasiHttpExecutor: HttpExecutor<"wasi-http", WasiHttpConfig> = {
  kind: "wasi-http",
  runs: "component",
  manifest: { ...WASI_HTTP_TABLE, config: () => ({}) },
  defaultConfig: {},
  inlineFirst: false,
  workerModule: "triggers/http/executors/wasi-http/wasi-http-program.js",
  loadPreparation: async () => (await import("./wasi-http-prepare.js")).prepareWasiHttp,
  payload: wasiHttpPayload,
};
