import type { HttpExecutor } from "../executor.js";
import { wasiHttpPayload } from "./wasi-http-payload.js";

/** A wasi:http route has no settings of its own. */
export type WasiHttpConfig = Record<string, never>;

/**
 * wasi:http: a component exporting `wasi:http/incoming-handler@0.2.x`, instantiated afresh per
 * request. The default executor, and Spin's (`type = "spin"` is its older name).
 */
export const wasiHttpExecutor: HttpExecutor<"wasi-http", WasiHttpConfig> = {
  kind: "wasi-http",
  runs: "component",
  manifest: { types: ["http", "spin"], runs: "for wasi:http components", options: {}, config: () => ({}) },
  defaultConfig: {},
  inlineFirst: false,
  workerModule: "triggers/http/executors/wasi-http/wasi-http-program.js",
  loadPreparation: async () => (await import("./wasi-http-prepare.js")).prepareWasiHttp,
  payload: wasiHttpPayload,
};
