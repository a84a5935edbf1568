import { resolve } from "node:path";
import type { ManifestComponent } from "./app-manifest.js";
import type { ComponentKey } from "./component-keys.js";
import type { KeyPathParts, ManifestErrors } from "./errors.js";
import { componentIdProblem, idLike } from "./ids.js";
import { toLimits } from "./limits.js";
import type { RawComponent } from "./schema.js";

/**
 * A component table (`[component.ID]`, or inline in a trigger at `path`), already checked against
 * its schema (see manifestSchemas), as a ManifestComponent: paths resolved against the app folder
 * `dir`, limits read from `[component.ID.tool.wisp]`, the capabilities' `componentKeys` checked
 * further (see ComponentKey.check) and kept for them.
 */
export function toComponent(
  id: string,
  raw: RawComponent,
  dir: string,
  path: KeyPathParts,
  errors: ManifestErrors,
  componentKeys: ReadonlyMap<string, ComponentKey>,
): ManifestComponent {
  const idProblem = componentIdProblem(id);
  if (idProblem) {
    throw errors.invalid(
      path,
      `is not a valid component id: ${idProblem}`,
      `component ids are kebab-case: words of letters and digits, each starting with a letter, joined by "-" (e.g. "${idLike(id, "-")}")`,
    );
  }
  const capabilityKeys: Record<string, unknown> = {};
  for (const [name, key] of componentKeys) {
    if (raw[name] === undefined) continue;
    const problem = key.check?.(raw[name]);
    if (problem) throw errors.invalid([...path, name, ...problem.at], problem.what, problem.hint);
    capabilityKeys[name] = raw[name];
  }
  return {
    id,
    source: toSource(raw.source, dir, [...path, "source"], errors),
    files: (raw.files ?? []).map((f) =>
      typeof f === "string" ? { kind: "glob" as const, pattern: f } : { kind: "map" as const, ...f },
    ),
    excludeFiles: raw.exclude_files ?? [],
    environment: Object.entries(raw.environment ?? {}),
    capabilityKeys,
    build: raw.build,
    limits: toLimits(raw.tool?.wisp, [...path, "tool", "wisp"], errors),
    localDependencies: localDependencies(raw.dependencies, dir),
  };
}

function toSource(
  source: RawComponent["source"],
  dir: string,
  path: KeyPathParts,
  errors: ManifestErrors,
): ManifestComponent["source"] {
  if (typeof source === "string") return { kind: "path", path: resolve(dir, source) };
  if ("url" in source) return { kind: "url", url: source.url, digest: source.digest.toLowerCase() };
  throw errors.invalid(
    path,
    `names the registry package ${source.package}@${source.version}, which Wisp cannot fetch`,
    `download it (e.g. \`wkg get ${source.package}@${source.version}\`) and write source = "path/to/it.wasm", or give source = { url = "...", digest = "sha256:..." }`,
  );
}

/** The dependencies `wisp build` orders by: `{ path = "..." }` files and `{ component = "id" }`. */
function localDependencies(
  dependencies: Record<string, unknown> | undefined,
  dir: string,
): ManifestComponent["localDependencies"] {
  const paths: string[] = [];
  const components: string[] = [];
  for (const value of Object.values(dependencies ?? {})) {
    if (typeof value !== "object" || value === null) continue;
    const { path, component } = value as { path?: unknown; component?: unknown };
    if (typeof path === "string") paths.push(resolve(dir, path));
    if (typeof component === "string") components.push(component);
  }
  return { paths, components };
}
