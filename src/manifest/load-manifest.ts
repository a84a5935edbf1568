import { readFile, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { parse, TomlError } from "smol-toml";
import type { z } from "zod";
import { DEFAULT_LIMITS, DEFAULT_WAGI_ARGV, type ComponentLimits } from "../app/serve-plan.js";
import { WispError } from "../errors/wisp-error.js";
import type { AppManifest, HttpTriggerEntry, ManifestComponent } from "./app-manifest.js";
import { componentSchema, httpTriggerSchema, keysAt, manifestSchema, wispToolSchema, type RawComponent } from "./schema.js";
import { parseDuration, parseSize } from "./sizes.js";
import { nearest } from "./suggest.js";
import { keyPath, lineOf } from "./source-lines.js";

const MANIFEST_NAMES = ["spin.toml", "wisp.toml"];
const COMPONENT_ID = /^[a-z0-9][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

/** Finds the manifest: the file itself, or `spin.toml` / `wisp.toml` in a folder. */
export async function findManifest(pathOrDir: string): Promise<string> {
  const target = resolve(pathOrDir);
  const stats = await stat(target).catch(() => undefined);
  if (stats?.isFile()) return target;
  if (stats?.isDirectory()) {
    for (const name of MANIFEST_NAMES) {
      const candidate = join(target, name);
      if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate;
    }
    throw new WispError("MANIFEST_NOT_FOUND", `no spin.toml or wisp.toml in ${target}`,
      "run wisp in the app's folder, pass -f PATH to the manifest, or create an app with `wisp new`");
  }
  throw new WispError("MANIFEST_NOT_FOUND", `${target} does not exist`, "pass -f with the path of a spin.toml / wisp.toml or of its folder");
}

/** Reads and validates a Spin manifest (version 2); every error names the file, the key and, where known, the line. */
export async function loadManifest(pathOrDir: string): Promise<AppManifest> {
  const file = await findManifest(pathOrDir);
  const text = await readFile(file, "utf8");
  return parseManifest(text, file);
}

export function parseManifest(text: string, file: string): AppManifest {
  const dir = dirname(file);
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const what = error.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "");
      throw new WispError("MANIFEST_SYNTAX", `${file}:${error.line}:${error.column}: ${what}`, "fix the TOML syntax at that line");
    }
    throw error;
  }
  const invalid = (path: ReadonlyArray<string | number>, what: string, hint: string) => {
    const line = lineOf(text, path);
    return new WispError("MANIFEST_INVALID", `${file}${line ? `:${line}` : ""}: \`${keyPath(path)}\` ${what}`, hint);
  };

  const version = doc.spin_manifest_version;
  if (version !== 2) {
    throw invalid(["spin_manifest_version"], version === undefined ? "is missing" : `is ${JSON.stringify(version)}`,
      version === 1 || version === "1"
        ? "Wisp reads manifest version 2; convert a version 1 manifest with `spin doctor` or by hand (see Spin's manifest v2 docs)"
        : "add `spin_manifest_version = 2` at the top of the manifest");
  }
  const raw = check(manifestSchema, doc, [], invalid);

  const components = new Map<string, ManifestComponent>();
  for (const [id, component] of Object.entries(raw.component ?? {})) {
    components.set(id, toComponent(id, component, dir, ["component", id], invalid));
  }

  const httpTriggers: HttpTriggerEntry[] = [];
  const otherTriggers: string[] = [];
  for (const [type, entries] of Object.entries(raw.trigger ?? {})) {
    if (type !== "http") {
      otherTriggers.push(type);
      continue;
    }
    entries.forEach((entry, index) => {
      const path = ["trigger", "http", index];
      const trigger = check(httpTriggerSchema, entry, path, invalid);
      if (typeof trigger.route === "string" && !trigger.route.startsWith("/")) {
        throw invalid([...path, "route"], `is "${trigger.route}": a route must start with /`, `write it as "/${trigger.route}"`);
      }
      if ((trigger.component === undefined) === (trigger.static_response === undefined)) {
        throw invalid(path, "needs exactly one of `component` and `static_response`",
          "name the component that serves the route, or give a static_response to serve without one");
      }
      let componentId: string | undefined;
      if (typeof trigger.component === "string") {
        componentId = trigger.component;
        if (!components.has(componentId)) {
          const defined = [...components.keys()];
          const guess = nearest(componentId, defined);
          throw invalid([...path, "component"], `names component "${componentId}", which the manifest does not define`,
            guess ? `did you mean "${guess}"?` : `define [component.${componentId}]` + (defined.length ? ` (defined: ${defined.join(", ")})` : ""));
        }
      } else if (trigger.component) {
        componentId = `${trigger.id ?? `trigger-http-${index}`}-component`;
        components.set(componentId, toComponent(componentId, trigger.component, dir, [...path, "component"], invalid));
      }
      const executor = trigger.executor?.type === "wagi"
        ? { type: "wagi" as const, argv: trigger.executor.argv ?? DEFAULT_WAGI_ARGV, entrypoint: trigger.executor.entrypoint }
        : { type: "http" as const };
      const staticResponse = trigger.static_response && {
        status: trigger.static_response.status_code ?? 200,
        headers: Object.entries(trigger.static_response.headers ?? {}),
        body: new TextEncoder().encode(trigger.static_response.body ?? ""),
      };
      httpTriggers.push({ route: trigger.route as HttpTriggerEntry["route"], componentId, staticResponse, executor });
    });
  }

  return {
    file,
    dir,
    name: raw.application.name,
    version: raw.application.version,
    description: raw.application.description,
    variables: new Map(Object.entries(raw.variables ?? {}).map(([name, v]) => [name, { default: v.default, required: v.required ?? false, secret: v.secret ?? false }])),
    components,
    httpTriggers,
    otherTriggers,
  };
}

type Invalid = (path: ReadonlyArray<string | number>, what: string, hint: string) => WispError;

/** Validates with zod and turns the first issue into a message about the TOML key. */
function check<T extends z.ZodType>(schema: T, value: unknown, base: Array<string | number>, invalid: Invalid): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [...base, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const guess = nearest(key, keysAt(path));
    throw invalid([...path, key], "is not a key Wisp knows here",
      guess ? `did you mean \`${guess}\`?` : `remove it; valid keys here: ${keysAt(path).join(", ")}`);
  }
  throw invalid(path, describeIssue(issue), "fix the value (see the manifest reference in README.md)");
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.input === undefined) return "is missing";
  if (issue.code === "invalid_union") return "has a value of the wrong shape";
  return issue.message.replace(/^Invalid input: /, "is invalid: ");
}

function toComponent(id: string, raw: RawComponent, dir: string, path: Array<string | number>, invalid: Invalid): ManifestComponent {
  if (!COMPONENT_ID.test(id)) {
    throw invalid(path, "is not a valid component id", "use lowercase letters, digits and single - or _ between them (kebab-case)");
  }
  check(componentSchema, raw, path, invalid);
  const source = typeof raw.source === "string"
    ? { kind: "path" as const, path: resolve(dir, raw.source) }
    : { kind: "url" as const, url: raw.source.url, digest: raw.source.digest.toLowerCase() };
  return {
    id,
    source,
    files: (raw.files ?? []).map((f) => (typeof f === "string" ? { kind: "glob" as const, pattern: f } : { kind: "map" as const, ...f })),
    excludeFiles: raw.exclude_files ?? [],
    environment: Object.entries(raw.environment ?? {}),
    allowedOutboundHosts: raw.allowed_outbound_hosts ?? [],
    keyValueStores: raw.key_value_stores ?? [],
    sqliteDatabases: raw.sqlite_databases ?? [],
    variables: Object.entries(raw.variables ?? {}),
    build: raw.build,
    limits: toLimits(raw.tool?.wisp, [...path, "tool", "wisp"], invalid),
    localDependencies: localDependencies(raw.dependencies, dir),
  };
}

/** The dependencies `wisp build` orders by: `{ path = "..." }` files and `{ component = "id" }`. */
function localDependencies(dependencies: Record<string, unknown> | undefined, dir: string): ManifestComponent["localDependencies"] {
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

function toLimits(table: Record<string, unknown> | undefined, path: Array<string | number>, invalid: Invalid): ComponentLimits {
  if (!table) return { ...DEFAULT_LIMITS };
  const tool = check(wispToolSchema, table, path, invalid);
  const limits = { ...DEFAULT_LIMITS };
  if (tool.timeout !== undefined) {
    limits.timeoutMs = parseDuration(tool.timeout) ?? fail("timeout", tool.timeout, 'a duration such as "500ms", "30s" or "2m"');
  }
  if (tool.max_memory !== undefined) {
    limits.maxMemoryBytes = parseSize(tool.max_memory) ?? fail("max_memory", tool.max_memory, 'a size such as "64MiB" or "1GiB"');
  }
  if (tool.max_request_body !== undefined) {
    limits.maxRequestBodyBytes = parseSize(tool.max_request_body) ?? fail("max_request_body", tool.max_request_body, 'a size such as "10MiB"');
  }
  return limits;

  function fail(key: string, value: unknown, expected: string): never {
    throw invalid([...path, key], `is ${JSON.stringify(value)}, not ${expected}`, `write it as ${expected}`);
  }
}
