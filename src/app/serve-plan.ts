import type { KeyValueBackend } from "../capabilities/key-value/index.js";
import type { SqliteBackend } from "../capabilities/sqlite/index.js";
import type { AllowedHost } from "../capabilities/outbound-networking/index.js";
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
  /** The component's variables, resolved at start (name the guest asks for, value). */
  variables: Array<[string, string]>;
  /** Values its logs must hide (secret variables). */
  secrets: string[];
  /** The key-value stores it is granted, with where each lives. */
  keyValueStores: Array<[string, KeyValueBackend]>;
  /** The SQLite databases it is granted, with their files. */
  sqliteDatabases: Array<[string, SqliteBackend]>;
  /** Its `allowed_outbound_hosts`, templates rendered and parsed. */
  allowedOutboundHosts: AllowedHost[];
  limits: ComponentLimits;
}

export type { PlannedRoute } from "../triggers/http/http-plan.js";
