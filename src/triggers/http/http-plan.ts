import type { HttpTriggerEntry } from "../../manifest/index.js";
import { executorRoute, type ExecutorRoute } from "./executors/registry.js";

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
export function planRoutes(triggers: readonly HttpTriggerEntry[]): PlannedRoute[] {
  const routes: PlannedRoute[] = [];
  for (const trigger of triggers) {
    if (typeof trigger.route !== "string") continue;
    if (trigger.staticResponse) routes.push({ route: trigger.route, kind: "static", ...trigger.staticResponse });
    else
      routes.push({
        route: trigger.route,
        kind: "component",
        componentId: trigger.componentId!,
        executor: executorRoute(trigger.executor),
      });
  }
  return routes;
}
