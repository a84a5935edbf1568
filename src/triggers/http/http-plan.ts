import type { TriggerEntry } from "../../manifest/index.js";
import { DEFAULT_EXECUTOR, executorRoute, type ExecutorRoute } from "./executors/registry.js";
import type { HttpTriggerConfig } from "./http-manifest.js";

/** A route of the HTTP trigger's plan: a component run by an executor, or a static response. */
export type PlannedRoute =
  | { route: string; kind: "component"; componentId: string; executor: ExecutorRoute }
  | { route: string; kind: "static"; status: number; headers: Array<[string, string]>; body: Uint8Array };

/** The HTTP trigger's part of an app's plan: its routes. */
export interface HttpTriggerPlan {
  routes: PlannedRoute[];
}

/**
 * The routes of the manifest's `[[trigger.http]]` tables: every public one (private ones are
 * reachable by no URL, so they are not routed at all), in manifest order.
 */
export function planRoutes(triggers: readonly TriggerEntry[]): PlannedRoute[] {
  const routes: PlannedRoute[] = [];
  for (const trigger of triggers) {
    // The manifest checked the table against HTTP_TRIGGER_TABLE.
    const config = trigger.config as unknown as HttpTriggerConfig;
    if (typeof config.route !== "string") continue;
    const response = config.static_response;
    if (response)
      routes.push({
        route: config.route,
        kind: "static",
        status: response.status_code ?? 200,
        headers: Object.entries(response.headers ?? {}),
        body: new TextEncoder().encode(response.body ?? ""),
      });
    else
      routes.push({
        route: config.route,
        kind: "component",
        componentId: trigger.componentId!,
        executor: executorRoute(config.executor ?? { type: DEFAULT_EXECUTOR.manifest.types[0] }),
      });
  }
  return routes;
}
