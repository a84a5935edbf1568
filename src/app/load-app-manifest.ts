import { CAPABILITY_MANIFEST_KEYS } from "../capabilities/manifest-keys.js";
import { loadManifest, type AppManifest, type ManifestExtensions } from "../manifest/index.js";
import { TRIGGER_TABLES } from "../triggers/registry.js";

/** What an app's manifest holds besides Spin's own keys: every capability's component keys, every served trigger's tables. */
export const APP_MANIFEST_EXTENSIONS: ManifestExtensions = {
  componentKeys: CAPABILITY_MANIFEST_KEYS,
  triggerTables: TRIGGER_TABLES,
};

/** The app's manifest (see loadManifest), checked with the app's extensions. */
export function loadAppManifest(pathOrDir: string): Promise<AppManifest> {
  return loadManifest(pathOrDir, APP_MANIFEST_EXTENSIONS);
}
