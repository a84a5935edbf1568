import { grantComponent } from "../capabilities/grants.js";
import { defaultCapabilityConfig, type CapabilityConfig } from "../capabilities/runtime-config.js";
import type { ResolvedVariables } from "../capabilities/variables/index.js";
import type { AppManifest } from "../manifest/index.js";
import { DEFAULT_WAGI_ENTRYPOINT } from "../manifest/app-manifest.js";
import type { PlannedComponent, PlannedRoute, ServePlan } from "./serve-plan.js";

/**
 * What `wisp up` serves from a manifest: every public route (private ones are reachable by no
 * URL, so they are not routed at all) and the components those routes use.
 */
export function planFromManifest(manifest: AppManifest, variables?: ResolvedVariables, runtime?: CapabilityConfig): ServePlan {
  const sources = { manifestFile: manifest.file, appDir: manifest.dir, variables, config: runtime ?? defaultCapabilityConfig(manifest.dir) };
  const routes: PlannedRoute[] = [];
  const used = new Set<string>();
  for (const trigger of manifest.httpTriggers) {
    if (typeof trigger.route !== "string") continue;
    if (trigger.staticResponse) {
      routes.push({ route: trigger.route, kind: "static", ...trigger.staticResponse });
      continue;
    }
    const componentId = trigger.componentId!;
    used.add(componentId);
    routes.push({
      route: trigger.route,
      kind: "component",
      componentId,
      executor: trigger.executor.type === "wagi" ? "wagi" : "wasi-http",
      wagiArgv: trigger.executor.type === "wagi" ? trigger.executor.argv : "",
      wagiEntrypoint: (trigger.executor.type === "wagi" && trigger.executor.entrypoint) || DEFAULT_WAGI_ENTRYPOINT,
    });
  }
  const components: PlannedComponent[] = [...manifest.components.values()]
    .filter((c) => used.has(c.id))
    .map((c) => ({
      id: c.id, source: c.source, files: c.files, excludeFiles: c.excludeFiles, environment: c.environment,
      secrets: variables?.secrets.get(c.id) ?? [],
      grants: grantComponent(c, sources),
      limits: c.limits,
    }));
  return { appName: manifest.name, appVersion: manifest.version, appDir: manifest.dir, components, routes };
}
