export type { AppManifest, HttpTriggerEntry, ManifestComponent } from "./app-manifest.js";
export { findManifest, MANIFEST_NAMES } from "./find-manifest.js";
export { loadManifest, parseManifest } from "./load-manifest.js";
export { parseDuration, parseSize } from "./sizes.js";
