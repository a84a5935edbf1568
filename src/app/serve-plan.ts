import type { ComponentGrants } from "../capabilities/grants.js";
import type { SourceRef } from "./component-source.js";
import type { FileMount } from "./stage-files.js";

/**
 * Everything `wisp up` needs to serve an app, whatever it came from (a manifest, or `--from
 * module.wasm`). Paths are absolute.
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

/** Per-component limits; `[component.ID.tool.wisp]` in the manifest sets them. */
export interface ComponentLimits {
  timeoutMs: number;
  maxMemoryBytes: number;
  maxRequestBodyBytes: number;
}

export const DEFAULT_LIMITS: ComponentLimits = {
  timeoutMs: 30_000,
  maxMemoryBytes: 256 * 1024 * 1024,
  maxRequestBodyBytes: 100 * 1024 * 1024,
};

export type PlannedRoute =
  | { route: string; kind: "component"; componentId: string; executor: "wasi-http" | "wagi"; wagiArgv: string; wagiEntrypoint: string }
  | { route: string; kind: "static"; status: number; headers: Array<[string, string]>; body: Uint8Array };

/** Spin's default WAGI argv. */
export const DEFAULT_WAGI_ARGV = "${SCRIPT_NAME} ${ARGS}";

/** The function WAGI calls unless the executor names another. */
export const DEFAULT_WAGI_ENTRYPOINT = "_start";
