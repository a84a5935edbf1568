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
export const CAPABILITY_INTERFACE_VERSIONS: ReadonlyMap<string, readonly string[]> = servedVersions((c) => [
  c.interfaces,
]);

/**
 * What the capabilities serve to a component of the async ABI (see Capability.asyncInterfaces):
 * their async interfaces beside the others, which such a component may import too (Spin's Rust
 * SDK 6 imports `spin:sqlite@3.1.0` beside `fermyon:spin/mysql@2.0.0`).
 */
export const CAPABILITY_ASYNC_INTERFACE_VERSIONS: ReadonlyMap<string, readonly string[]> = servedVersions((c) => [
  c.interfaces,
  c.asyncInterfaces ?? {},
]);

function servedVersions(
  pick: (capability: (typeof capabilityEntries)[number][1]) => ReadonlyArray<Readonly<Record<string, string>>>,
): ReadonlyMap<string, readonly string[]> {
  const served = new Map<string, string[]>();
  for (const [, capability] of capabilityEntries)
    for (const interfaces of pick(capability))
      for (const [glueName, witPackage] of Object.entries(interfaces)) {
        const { name, version } = splitVersion(glueName);
        const versions = served.get(name) ?? [];
        served.set(name, [...versions, version || splitVersion(witPackage).version]);
      }
  return served;
}

/**
 * The interfaces whose hosts can wait without holding the thread (see Capability.suspending), by
 * name without version, each with jco's names of its functions that may answer a promise
 * (`fermyon:spin/redis#[method]connection.get`).
 */
export const SUSPENDING_INTERFACES: ReadonlyMap<string, readonly string[]> = new Map(
  capabilityEntries.flatMap(([, capability]) =>
    Object.entries(capability.suspending ?? {}).map(([glueName, functions]) => {
      const { name } = splitVersion(glueName);
      return [name, functions.map((f) => `${name}#${f}`)] as const;
    }),
  ),
);
