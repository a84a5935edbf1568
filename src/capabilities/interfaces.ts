import { capabilityEntries } from "./registry.js";

/**
 * Host interfaces the capabilities serve, as jco's glue names them: unversioned, but for an
 * interface served in more than one version, whose versions differ (a name with `@` here makes
 * the glue ask for that version by its own name; see prepare-component). Each capability says
 * which WIT versions stand behind each name (Capability.interfaces). WASI interfaces that a
 * capability serves in the engine's place (outbound HTTP) are not among them: see wasiInterfaces.
 */
export const CAPABILITY_INTERFACES: ReadonlySet<string> = new Set(
  capabilityEntries.flatMap(([, capability]) => Object.keys(capability.interfaces)),
);
