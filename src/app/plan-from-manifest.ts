import { allowedOutboundHosts } from "../capabilities/outbound-networking/index.js";
import type { ResolvedVariables } from "../capabilities/variables/index.js";
import { WispError } from "../errors/wisp-error.js";
import type { AppManifest } from "../manifest/index.js";
import { defaultRuntimeConfig, type RuntimeConfig } from "../runtime-config/runtime-config.js";
import { planRoutes } from "../triggers/http/http-plan.js";
import type { PlannedComponent, ServePlan } from "./serve-plan.js";

/**
 * What `wisp up` serves from a manifest: the HTTP trigger's routes (see planRoutes) and the
 * components those routes use.
 */
export function planFromManifest(manifest: AppManifest, variables?: ResolvedVariables, runtime?: RuntimeConfig): ServePlan {
  const config = runtime ?? defaultRuntimeConfig(manifest.dir);
  const routes = planRoutes(manifest.httpTriggers);
  const used = new Set(routes.flatMap((route) => (route.kind === "component" ? [route.componentId] : [])));
  const components: PlannedComponent[] = [...manifest.components.values()]
    .filter((c) => used.has(c.id))
    .map((c) => ({
      id: c.id, source: c.source, files: c.files, excludeFiles: c.excludeFiles, environment: c.environment,
      variables: variables?.components.get(c.id) ?? [],
      secrets: variables?.secrets.get(c.id) ?? [],
      keyValueStores: labelGrants(manifest, c.id, c.keyValueStores, config.keyValueStores, "key-value store", "key_value_store"),
      sqliteDatabases: labelGrants(manifest, c.id, c.sqliteDatabases, config.sqliteDatabases, "SQLite database", "sqlite_database"),
      allowedOutboundHosts: allowedOutboundHosts(c.allowedOutboundHosts, variables?.app ?? new Map(), { manifestFile: manifest.file, componentId: c.id }),
      limits: c.limits,
    }));
  return { appName: manifest.name, appVersion: manifest.version, appDir: manifest.dir, components, routes };
}

/** Labels a component is granted (stores, databases): each must be `default` or defined by the runtime config. */
function labelGrants<T>(manifest: AppManifest, componentId: string, labels: string[], defined: ReadonlyMap<string, T>, what: string, section: string): Array<[string, T]> {
  return labels.map((label) => {
    const backend = defined.get(label);
    if (!backend) {
      throw new WispError("GRANT_INVALID", `${manifest.file}: component ${componentId} is granted ${what} "${label}", which no runtime config defines`,
        `define [${section}.${label}] in a runtime config file (--runtime-config-file), or use the "default" one`);
    }
    return [label, backend];
  });
}
