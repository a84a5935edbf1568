import { splitVersion } from "../engine/component/served-interfaces.js";
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

/**
 * What the capabilities serve, by interface name without version, with the versions of each
 * (see ServedInterfaces): a versioned name's own version, else its WIT package's
 * (`"fermyon:spin/key-value": "fermyon:spin@2.0.0"` is `fermyon:spin/key-value` at 2.0.0).
 */
export const CAPABILITY_INTERFACE_VERSIONS: ReadonlyMap<string, readonly string[]> = (() => {
  const served = new Map<string, string[]>();
  for (const [, capability] of capabilityEntries)
    for (const [glueName, witPackage] of Object.entries(capability.interfaces)) {
      const { name, version } = splitVersion(glueName);
      const versions = served.get(name) ?? [];
      served.set(name, [...versions, version || splitVersion(witPackage).version]);
    }
  return served;
})();
