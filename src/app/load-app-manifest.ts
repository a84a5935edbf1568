import { CAPABILITY_MANIFEST_KEYS } from "../capabilities/manifest-keys.js";
import { loadManifest, type AppManifest, type ManifestExtensions } from "../manifest/index.js";
import { EXECUTOR_TABLES } from "../triggers/http/executors/registry.js";

/** What an app's manifest holds besides Spin's own keys: every capability's component keys, every HTTP executor's table. */
export const APP_MANIFEST_EXTENSIONS: ManifestExtensions = {
  componentKeys: CAPABILITY_MANIFEST_KEYS,
  executorTables: EXECUTOR_TABLES,
};

/** The app's manifest (see loadManifest), checked with the app's extensions. */
export function loadAppManifest(pathOrDir: string): Promise<AppManifest> {
  return loadManifest(pathOrDir, APP_MANIFEST_EXTENSIONS);
}
