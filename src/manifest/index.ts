export type { AppManifest, FileMount, ManifestComponent, SourceRef, TriggerEntry } from "./app-manifest.js";
export type { ComponentLimits } from "./component-limits.js";
export { findManifest, MANIFEST_NAMES } from "./find-manifest.js";
export { loadManifest, parseManifest } from "./load-manifest.js";
export { parseDuration, parseSize } from "./sizes.js";
export { componentKey, type ComponentKey, type ComponentKeyValues } from "./component-keys.js";
export type { TriggerTable, TriggerTableValue } from "./trigger-tables.js";
export type { ManifestExtensions } from "./manifest-extensions.js";
