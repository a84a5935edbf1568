import { defaultRuntimeConfig, loadRuntimeConfig } from "../runtime-config/runtime-config.js";
import type { ConfigOfSections, RuntimeConfigSection } from "../runtime-config/section.js";
import { capabilityEntries, type Registry } from "./registry.js";

type SectionOf<C> = C extends { runtimeConfig?: RuntimeConfigSection<infer Config> }
  ? undefined extends Config
    ? never
    : RuntimeConfigSection<Config>
  : never;
type Sections = {
  [K in keyof Registry as [SectionOf<Registry[K]>] extends [never] ? never : K]: SectionOf<Registry[K]>;
};

/** The runtime config's sections: every capability's that has one, under its registry name. */
const SECTIONS = Object.fromEntries(
  capabilityEntries.flatMap(([name, capability]) =>
    capability.runtimeConfig ? [[name, capability.runtimeConfig]] : [],
  ),
) as Sections;

/** What the runtime config sets for each capability that reads one (`keyValue`: its stores by label). */
export type CapabilityConfig = ConfigOfSections<Sections>;

/** `--runtime-config-file` as the capabilities read it (see loadRuntimeConfig); without a file, their defaults. */
export function loadCapabilityConfig(file: string | undefined, appDir: string): Promise<CapabilityConfig> {
  return loadRuntimeConfig(file, appDir, SECTIONS);
}

/** The capabilities' configuration without a runtime config file. */
export function defaultCapabilityConfig(appDir: string): CapabilityConfig {
  return defaultRuntimeConfig(appDir, SECTIONS);
}
