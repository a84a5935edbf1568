import { CAPABILITY_MANIFEST_KEYS } from "../capabilities/manifest-keys.js";
import { loadManifest, type AppManifest } from "../manifest/index.js";

/** The app's manifest (see loadManifest), its component tables holding the capabilities' keys too. */
export function loadAppManifest(pathOrDir: string): Promise<AppManifest> {
  return loadManifest(pathOrDir, CAPABILITY_MANIFEST_KEYS);
}
