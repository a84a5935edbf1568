import type { ComponentGrants } from "../capabilities/grants.js";
import type { FileMount, SourceRef } from "../manifest/app-manifest.js";
import type { ComponentLimits } from "../manifest/component-limits.js";
import type { TriggerPlans } from "../triggers/registry.js";

/**
 * Everything `wisp up` needs to serve an app, whatever it came from (a manifest, or `--from
 * module.wasm`): its components, and each trigger's part (the HTTP trigger's routes). Paths are absolute.
 */
export interface ServePlan {
  appName: string;
  appVersion?: string;
  appDir: string;
  components: PlannedComponent[];
  /** What each served trigger serves (see ServedTrigger.planFromManifest); a trigger without a part is not started. */
  triggers: TriggerPlans;
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
