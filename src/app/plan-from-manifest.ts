import { grantComponent } from "../capabilities/grants.js";
import { defaultCapabilityConfig, type CapabilityConfig } from "../capabilities/runtime-config.js";
import type { ResolvedVariables } from "../capabilities/variables/index.js";
import type { AppManifest } from "../manifest/index.js";
import { plannedTriggers, planTriggers } from "../triggers/registry.js";
import type { PlannedComponent, ServePlan } from "./serve-plan.js";

/**
 * What `wisp up` serves from a manifest: each served trigger's part (the HTTP trigger's routes),
 * and the components those triggers use, each granted what its manifest entry asks.
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
  const triggers = planTriggers(manifest);
  const used = new Set(plannedTriggers(triggers).flatMap(({ trigger, plan }) => trigger.componentsOf(plan)));
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
  return {
    appName: manifest.name,
    appVersion: manifest.version,
    appDir: manifest.dir,
    components,
    triggers,
  };
}
