import { grantComponent } from "../capabilities/grants.js";
import { defaultCapabilityConfig, type CapabilityConfig } from "../capabilities/runtime-config.js";
import type { ResolvedVariables } from "../capabilities/variables/index.js";
import type { AppManifest } from "../manifest/index.js";
import { planRoutes } from "../triggers/http/http-plan.js";
import type { PlannedComponent, ServePlan } from "./serve-plan.js";

/**
 * What `wisp up` serves from a manifest: the HTTP trigger's routes (see planRoutes) and the
 * components those routes use.
 */
export function planFromManifest(
  manifest: AppManifest,
  variables?: ResolvedVariables,
  runtime?: CapabilityConfig,
): ServePlan {
  const sources = {
    manifestFile: manifest.file,
    appDir: manifest.dir,
    variables,
    config: runtime ?? defaultCapabilityConfig(manifest.dir),
  };
  const routes = planRoutes(manifest.httpTriggers);
  const used = new Set(routes.flatMap((route) => (route.kind === "component" ? [route.componentId] : [])));
  const components: PlannedComponent[] = [...manifest.components.values()]
    .filter((c) => used.has(c.id))
    .map((c) => ({
      id: c.id,
      source: c.source,
      files: c.files,
      excludeFiles: c.excludeFiles,
      environment: c.environment,
      secrets: variables?.secrets.get(c.id) ?? [],
      grants: grantComponent(c, sources),
      limits: c.limits,
    }));
  return { appName: manifest.name, appVersion: manifest.version, appDir: manifest.dir, components, routes };
}
