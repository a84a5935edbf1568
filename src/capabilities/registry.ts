import type { Capability } from "./capability.js";
import { keyValue } from "./key-value/index.js";
import { mqtt } from "./mqtt/index.js";
import { outboundHttp } from "./outbound-http/index.js";
import { outboundNetworking } from "./outbound-networking/index.js";
import { rdbms } from "./rdbms/index.js";
import { redis } from "./redis/index.js";
import { sqlite } from "./sqlite/index.js";
import { variables } from "./variables/index.js";

/**
 * Every capability Wisp serves, one line each, keyed by the name of its grant (ComponentGrants)
 * and of its runtime config (CapabilityConfig). Everything else is derived from this list: the
 * interfaces a component may import, the grants, the runtime config's sections, the host calls.
 * The order is the runtime config's (its sections are read, and its error hint lists them, in it).
 * Loaded on main at start: see Capability on keeping each object cheap to load.
 */
export const CAPABILITIES = {
  keyValue,
  sqlite,
  variables,
  allowedOutboundHosts: outboundNetworking,
  outboundHttp,
  redis,
  rdbms,
  mqtt,
} as const satisfies Readonly<Record<string, AnyCapability>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds capabilities of every grant and config type
export type AnyCapability = Capability<any, any, any>;
export type Registry = typeof CAPABILITIES;
export type CapabilityName = keyof Registry;

/** The registry's entries, in its order. */
export const capabilityEntries = Object.entries(CAPABILITIES) as Array<[CapabilityName, AnyCapability]>;
