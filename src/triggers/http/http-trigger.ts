import type { Trigger } from "../trigger.js";

/**
 * The HTTP trigger: `[[trigger.http]]` routes, each to a component run by an executor (see
 * executors/) or to a static response. Its runtime (http-runtime.ts) loads on use.
 */
export const httpTrigger = {
  type: "http",
  fromManifest: true,
  load: async () => (await import("./http-runtime.js")).httpRuntime,
} satisfies Trigger;
