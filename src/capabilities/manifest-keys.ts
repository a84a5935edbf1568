import type { ComponentKey } from "../manifest/index.js";
import { capabilityEntries } from "./registry.js";

/** Every capability's component manifest keys (see Capability.manifestKeys), for the manifest to check as it loads. */
export const CAPABILITY_MANIFEST_KEYS: readonly ComponentKey[] = capabilityEntries.flatMap(
  ([, capability]) => capability.manifestKeys as readonly ComponentKey[],
);
