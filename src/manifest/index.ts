export { findManifest, loadManifest, parseManifest } from "./load-manifest.js";
export type { AppManifest, HttpTriggerEntry, ManifestComponent } from "./app-manifest.js";
export { parseDuration, parseSize } from "./sizes.js";
