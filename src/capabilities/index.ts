import type { GuestInstance, RequestContext } from "./capability.js";
import type { ComponentGrants } from "./grants.js";
import { capabilityEntries } from "./registry.js";

/** Builds a component's capability imports; see loadCapabilityImports. */
export type CapabilityImports = (
  grants: ComponentGrants,
  request: RequestContext,
  /** Whether the component's glue suspends (see GuestInstance.suspends). */
  suspends?: boolean,
) => Record<string, Record<string, unknown>>;

/**
 * Worker: loads every capability's import builder (once per thread), and answers what builds a
 * component's imports from its grants. The imports hold no per-request state: build them once per
 * component and point `request` at the request being served.
 */
export async function loadCapabilityImports(): Promise<CapabilityImports> {
  const builders = await Promise.all(
    capabilityEntries.map(async ([name, capability]) => [name, await capability.guestImports()] as const),
  );
  return (grants, request, suspends = false) => {
    // Outbound networking's grant is what every outbound capability checks its connections against.
    const instance: GuestInstance = { allowedOutboundHosts: grants.allowedOutboundHosts, request, suspends };
    const imports: Record<string, Record<string, unknown>> = {};
    for (const [name, build] of builders)
      Object.assign(imports, build((grants as Record<string, unknown>)[name], instance));
    return imports;
  };
}

export type { ComponentGrants } from "./grants.js";
export type { RequestContext } from "./capability.js";
export { CAPABILITY_INTERFACES, SUSPENDING_INTERFACES } from "./interfaces.js";
export { HOST_CALLS, closeOutboundClients } from "./host-calls.js";
export { socketGrant } from "./outbound-networking/index.js";
