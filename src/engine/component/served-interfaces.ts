/**
 * The interfaces a host serves to components, by name without version (`wasi:http/types`), each
 * with the versions it serves (`0.2.0`). An import is served when its name is and its version is
 * one of them, or compatible with one as Wasmtime's linker judges it (and Spin with it): releases
 * of the same major version, or for 0.x the same minor (`0.2.10` by `0.2.0`). A prerelease
 * (`0.2.0-rc-2023-10-18`, `0.2.0-draft2`) is served only as itself; an import without a version
 * only by a name served without one.
 */
export type ServedInterfaces = ReadonlyMap<string, readonly string[]>;

/** `names`, each served at `version`. */
export function servedAt(names: Iterable<string>, version: string): Map<string, string[]> {
  return new Map([...names].map((name) => [name, [version]]));
}

/** `a` and `b` merged: a name in both is served at the versions of both. */
export function mergeServed(a: ServedInterfaces, b: ServedInterfaces): Map<string, string[]> {
  const merged = new Map([...a].map(([name, versions]) => [name, [...versions]]));
  for (const [name, versions] of b) merged.set(name, [...new Set([...(merged.get(name) ?? []), ...versions])]);
  return merged;
}

/** `wasi:http/types@0.2.0` as its name and version (`""` for none). */
export function splitVersion(imported: string): { name: string; version: string } {
  const at = imported.lastIndexOf("@");
  return at < 0 ? { name: imported, version: "" } : { name: imported.slice(0, at), version: imported.slice(at + 1) };
}

/** Whether `served` serves the import `imported` (`name@version`). */
export function serves(served: ServedInterfaces, imported: string): boolean {
  const { name, version } = splitVersion(imported);
  return (served.get(name) ?? []).some((offered) => compatible(offered, version));
}

/**
 * The imports jco's glue must name with their versions: those of an interface served in versions
 * that are not compatible with each other (`spin:postgres/postgres@3.0.0` and `@4.0.0`), each of
 * which a host serves with its own object. A prerelease is served by the unversioned object unless
 * the host names it among its own (prepareComponent's `glueNames`).
 */
export function versionedGlueNames(served: ServedInterfaces): string[] {
  return [...served]
    .map(([name, versions]) => [name, versions.filter((version) => release(version))] as const)
    .filter(([, versions]) => versions.some((v) => versions.some((w) => !compatible(v, w))))
    .flatMap(([name, versions]) => versions.map((version) => `${name}@${version}`))
    .sort();
}

function compatible(offered: string, wanted: string): boolean {
  if (offered === wanted) return true;
  const a = release(offered);
  const b = release(wanted);
  if (!a || !b) return false;
  if (a[0] !== b[0]) return false;
  return a[0] > 0 || a[1] === b[1];
}

/** `[major, minor, patch]` of a release version; undefined for a prerelease, a build or no version. */
function release(version: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/**
 * jco's `map` for the names versionedGlueNames gives: each release answers every import it serves
 * (`spin:postgres/postgres@4.*` to the `@4.0.0` object, so a component importing 4.0.1 or 4.2.0
 * finds it), a prerelease only itself. jco tries a name exactly, then the patterns; an import
 * matching none is named without its version.
 */
export function glueMap(versioned: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    versioned.map((glueName) => {
      const { name, version } = splitVersion(glueName);
      const parts = release(version);
      if (!parts) return [glueName, glueName];
      return [`${name}@${parts[0] > 0 ? parts[0] : `0.${parts[1]}`}.*`, glueName];
    }),
  );
}
