import type { ComponentKey } from "./component-keys.js";
import type { TriggerTable } from "./trigger-tables.js";

/**
 * What the layers above give the manifest to check as it loads, besides Spin's own keys: the
 * capabilities' component keys and the triggers' tables. The app's are in app/load-app-manifest.ts.
 */
export interface ManifestExtensions {
  /** Keys of a component table that capabilities own (`key_value_stores`). */
  readonly componentKeys: readonly ComponentKey[];
  /** The `[[trigger.<type>]]` tables of the triggers Wisp runs; other types are read as names only. */
  readonly triggerTables: readonly TriggerTable[];
}
