import type { ComponentGrants } from "../capabilities/grants.js";
import type { FileMount, SourceRef } from "../manifest/app-manifest.js";
import type { ComponentLimits } from "../manifest/component-limits.js";
import type { PlannedRoute } from "../triggers/http/http-plan.js";

/**
 * Everything `wisp up` needs to serve an app, whatever it came from (a manifest, or `--from
 * module.wasm`): its components, and what its trigger serves (the HTTP trigger's routes; the
 * plan is an HttpPlan). Paths are absolute.
 */
export interface ServePlan {
  appName: string;
  appVersion?: string;
  appDir: string;
  components: PlannedComponent[];
  routes: PlannedRoute[];
}

export interface PlannedComponent {
  id: string;
  source: SourceRef;
  files: FileMount[];
  excludeFiles: string[];
  environment: Array<[string, string]>;
  /** Values its logs must hide (secret variables). */
  secrets: string[];
  /** What each capability grants it (its variables, stores, `allowed_outbound_hosts`...), checked at start. */
  grants: ComponentGrants;
  limits: ComponentLimits;
}

export type { PlannedRoute } from "../triggers/http/http-plan.js";
