import type { ManifestComponent } from "../manifest/index.js";
import type { AnyCapability, Registry } from "./registry.js";
import { capabilityEntries } from "./registry.js";
import type { CapabilityConfig } from "./runtime-config.js";
import type { ResolvedVariables } from "./variables/index.js";

type GrantOf<C> = C extends { grant?(...args: never[]): infer G } ? G : undefined;

/**
 * What a component is granted, as the worker needs it (structured-cloneable): one entry per
 * capability of the registry that grants something, under its registry name.
 */
export type ComponentGrants = {
  -readonly [K in keyof Registry as undefined extends GrantOf<Registry[K]> ? never : K]: GrantOf<Registry[K]>;
};

/** What the grants of an app's components are made from, at start (main thread). */
export interface GrantSources {
  manifestFile: string;
  appDir: string;
  variables?: ResolvedVariables;
  config: CapabilityConfig;
}

const granting = capabilityEntries.filter(([, capability]) => capability.grant !== undefined);

/** Every capability's grant to `component`; the first that does not fit stops the start (see Capability.grant). */
export function grantComponent(component: ManifestComponent, sources: GrantSources): ComponentGrants {
  return Object.fromEntries(
    granting.map(([name, capability]) => [
      name,
      capability.grant!(
        component,
        {
          manifestFile: sources.manifestFile,
          appDir: sources.appDir,
          variables: sources.variables,
          config: configOf(sources.config, name),
        },
        component.capabilityKeys,
      ),
    ]),
  ) as ComponentGrants;
}

/** What a component without a manifest is granted: nothing (see Capability.noGrant). */
export function noGrants(componentId: string): ComponentGrants {
  return Object.fromEntries(
    granting.map(([name, capability]) => [name, capability.noGrant?.(componentId)]),
  ) as ComponentGrants;
}

/** The checks of the components' grants that need I/O (see Capability.checkGrants), capability by capability. */
export async function checkGrants(
  components: ReadonlyArray<{ id: string; grants: ComponentGrants }>,
  manifestFile: string,
): Promise<void> {
  for (const [name, capability] of granting) {
    await capability.checkGrants?.(
      components.map((c) => [c.id, (c.grants as Record<string, unknown>)[name]] as const),
      manifestFile,
    );
  }
}

function configOf(config: CapabilityConfig, name: string): unknown {
  return (config as Record<string, unknown>)[name];
}

export type { AnyCapability };
