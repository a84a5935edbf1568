import type { ComponentKey } from "./component-keys.js";
import type { ExecutorTable } from "./executor-tables.js";

/**
 * What the layers above give the manifest to check as it loads, besides Spin's own keys: the
 * capabilities' component keys and the HTTP executors' tables. The app's are in
 * app/load-app-manifest.ts.
 */
export interface ManifestExtensions {
  /** Keys of a component table that capabilities own (`key_value_stores`). */
  readonly componentKeys: readonly ComponentKey[];
  /** The `executor = { type = ... }` tables; the first is the default of a `[[trigger.http]]` without one. */
  readonly executorTables: readonly [ExecutorTable, ...ExecutorTable[]];
}
