import type { ServedTrigger } from "../trigger.js";
import { HTTP_TRIGGER_TABLE } from "./http-manifest.js";
import { planRoutes, type HttpTriggerPlan } from "./http-plan.js";

/**
 * The HTTP trigger: `[[trigger.http]]` routes, each to a component run by an executor (see
 * executors/) or to a static response. Its runtime (http-runtime.ts) loads on use.
 */
export const httpTrigger = {
  type: "http",
  fromManifest: true,
  // Served even without routes: the server answers 404 (and its health check) as Spin's would.
  manifestTable: HTTP_TRIGGER_TABLE,
  planFromManifest: (manifest) => ({ routes: planRoutes(manifest.triggers.get("http") ?? []) }),
  componentsOf: ({ routes }) => routes.flatMap((route) => (route.kind === "component" ? [route.componentId] : [])),
  load: async () => (await import("./http-runtime.js")).httpRuntime,
} satisfies ServedTrigger<HttpTriggerPlan>;
