import * as z from "zod/mini";
import "../schema/zod-setup.js";
import type { ComponentKey } from "./component-keys.js";
import type { ExecutorTable } from "./executor-tables.js";
import type { ManifestExtensions } from "./manifest-extensions.js";

/**
 * Spin manifest version 2 as zod schemas. Tables are strict objects, so a misspelt key is an error
 * (with the nearest valid key suggested) rather than a setting silently ignored. Values are checked
 * for shape here; meaning (ids, routes, sizes) is checked while converting, in load-manifest.ts.
 */

const stringMap = z.record(z.string(), z.string());
/** A table of tables whose contents belong to someone else (`tool.X`, `application.trigger.X`). */
const tablesOf = z.record(z.string(), z.record(z.string(), z.unknown()));

export const variableSchema = z.strictObject({
  default: z.optional(z.string()),
  required: z.optional(z.boolean()),
  secret: z.optional(z.boolean()),
  description: z.optional(z.string()),
});

export const applicationSchema = z.strictObject({
  name: z.string().check(z.minLength(1, "must not be empty")),
  version: z.optional(z.string()),
  description: z.optional(z.string()),
  authors: z.optional(z.array(z.string())),
  targets: z.optional(z.array(z.unknown())),
  /** `[application.trigger.http] base = "/"` and the like: read, not used. */
  trigger: z.optional(tablesOf),
  tool: z.optional(tablesOf),
});

export const sourceUrlSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
  digest: z
    .string()
    .check(z.regex(/^sha256:[0-9a-fA-F]{64}$/, 'must be "sha256:" followed by the file\'s 64 hex digit SHA-256')),
});

/** Spin's registry sources; Wisp cannot fetch them (load-manifest.ts says so), but knows their shape. */
export const sourceRegistrySchema = z.strictObject({
  registry: z.optional(z.string()),
  package: z.string(),
  version: z.string(),
});

export const fileMapSchema = z.strictObject({ source: z.string(), destination: z.string() });

export const buildSchema = z.strictObject({
  command: z.union([z.string(), z.array(z.string())], {
    error: 'must be a command string or a list of them, e.g. "npm run build"',
  }),
  workdir: z.optional(z.string()),
  watch: z.optional(z.array(z.string())),
});

/** Wisp's own per-component settings, `[component.ID.tool.wisp]`: its limits. */
const sizeOrNumber = z.union([z.string(), z.number()], {
  error: 'must be a size such as "64MiB" or a number of bytes',
});
export const wispToolSchema = z.strictObject({
  timeout: z.optional(
    z.union([z.string(), z.number()], { error: 'must be a duration such as "30s" or a number of milliseconds' }),
  ),
  max_memory: z.optional(sizeOrNumber),
  max_request_body: z.optional(sizeOrNumber),
});

/** A component table's own keys; the capabilities' (`key_value_stores`...) are added by manifestSchemas. */
const componentShape = {
  source: z.union([z.string(), sourceUrlSchema, sourceRegistrySchema], {
    error:
      'must be a path (source = "target/app.wasm") or a download (source = { url = "https://...", digest = "sha256:..." })',
  }),
  description: z.optional(z.string()),
  files: z.optional(
    z.array(
      z.union([z.string(), fileMapSchema], {
        error: 'must be a glob ("static/**/*") or { source = "dir", destination = "/dir" }',
      }),
    ),
  ),
  exclude_files: z.optional(z.array(z.string())),
  environment: z.optional(stringMap),
  /** Spin 1's key: component.ts refuses it with the `allowed_outbound_hosts` to write instead. */
  allowed_http_hosts: z.optional(z.array(z.string())),
  /** Spin's AI models: read, not served (no capability serves `fermyon:spin/llm`). */
  ai_models: z.optional(z.array(z.string())),
  targets: z.optional(z.array(z.unknown())),
  build: z.optional(buildSchema),
  /** Read for `wisp build`'s order (local paths, other components); otherwise opaque. */
  dependencies: z.optional(z.record(z.string(), z.unknown())),
  dependencies_inherit_configuration: z.optional(z.boolean()),
  /** Spin's `--profile` overrides; Wisp has no profiles, so (as Spin without `--profile`) they are ignored. */
  profile: z.optional(tablesOf),
  /** `[component.ID.tool.X]`: Wisp reads `tool.wisp` (checked with wispToolSchema); other tools' tables are theirs. */
  tool: z.optional(tablesOf),
};

/**
 * `executor = { type = ... }`: a table for each type an executor answers to (see ExecutorTable), its options
 * optional strings (typed here by `type` alone: the options are the executor's to read).
 */
type ExecutorTableSchema = z.ZodMiniObject<{ type: z.ZodMiniLiteral<string> }, z.core.$strict>;
function executorSchema(tables: ManifestExtensions["executorTables"]) {
  const schemas = tables.flatMap((table) =>
    table.types.map(
      (type) =>
        z.strictObject({
          type: z.literal(type),
          ...Object.fromEntries(Object.keys(table.options).map((key) => [key, z.optional(z.string())])),
        }) as ExecutorTableSchema,
    ),
  );
  return z.discriminatedUnion("type", schemas as [ExecutorTableSchema, ...ExecutorTableSchema[]], {
    error: `must be ${orList(tables.map((table, i) => `{ type = "${table.types[0]}" }${i === 0 ? " (the default)" : ""}`))}`,
  });
}

/** What to write for `executor`: each executor's table, and what it runs. */
function executorHint(tables: readonly ExecutorTable[]): string {
  return `write ${orList(
    tables.map(
      (table, i) => `executor = { type = "${table.types[0]}" } (${i === 0 ? "the default, " : ""}${table.runs})`,
    ),
  )}`;
}

function orList(items: string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

export const staticResponseSchema = z.strictObject({
  status_code: z.optional(
    z
      .int()
      .check(
        z.minimum(100, "must be an HTTP status, 100 to 999"),
        z.maximum(999, "must be an HTTP status, 100 to 999"),
      ),
  ),
  headers: z.optional(stringMap),
  body: z.optional(z.string()),
});

/** The schemas of a manifest with `extensions` (see ManifestExtensions), and what its errors need of them. */
export interface ManifestSchemas {
  manifest: ReturnType<typeof schemasWith>["manifest"];
  component: ReturnType<typeof schemasWith>["component"];
  httpTrigger: ReturnType<typeof schemasWith>["httpTrigger"];
  componentKeys: ReadonlyMap<string, ComponentKey>;
  executorTables: ManifestExtensions["executorTables"];
  /** What to write for `executor`. */
  executorHint: string;
}

const built = new WeakMap<ManifestExtensions, ManifestSchemas>();

/** The schemas for `extensions`, built once per extensions object. */
export function manifestSchemas(extensions: ManifestExtensions): ManifestSchemas {
  let schemas = built.get(extensions);
  if (!schemas) {
    schemas = {
      ...schemasWith(extensions),
      componentKeys: new Map(extensions.componentKeys.map((key) => [key.name, key])),
      executorTables: extensions.executorTables,
      executorHint: executorHint(extensions.executorTables),
    };
    built.set(extensions, schemas);
  }
  return schemas;
}

function schemasWith({ componentKeys, executorTables }: ManifestExtensions) {
  const component = z.strictObject({
    ...componentShape,
    ...(Object.fromEntries(componentKeys.map((key) => [key.name, z.optional(key.schema)])) as Record<
      string,
      z.ZodMiniOptional
    >),
  });
  const httpTrigger = z.strictObject({
    id: z.optional(z.string()),
    route: z.union([z.string(), z.strictObject({ private: z.literal(true, "must be true") })], {
      error: 'must be a path such as "/api/..." or { private = true }',
    }),
    component: z.optional(
      z.union([z.string(), component], { error: "must be a component id, or an inline table like [component.ID]" }),
    ),
    executor: z.optional(executorSchema(executorTables)),
    static_response: z.optional(staticResponseSchema),
  });
  const manifest = z.strictObject({
    spin_manifest_version: z.literal(2),
    application: applicationSchema,
    variables: z.optional(z.record(z.string(), variableSchema)),
    /** `[[trigger.http]]` is checked in full; other trigger types are kept so they can be named, not run. */
    trigger: z.optional(
      z.catchall(z.object({ http: z.optional(z.array(httpTrigger)) }), z.array(z.record(z.string(), z.unknown()))),
    ),
    component: z.optional(z.record(z.string(), component)),
  });
  return { manifest, component, httpTrigger };
}

/** A component table as its schema reads it: its own keys typed, the capabilities' as they come. */
export type RawComponent = z.infer<z.ZodMiniObject<typeof componentShape>> & Record<string, unknown>;
export type RawHttpTrigger = Omit<z.infer<ManifestSchemas["httpTrigger"]>, "component"> & {
  component?: string | RawComponent;
};

/**
 * Keys Spin knows in a table but Wisp does not support, with why: better than "did you mean" a
 * near miss (`components` is not a typo of `component`).
 */
export const UNSUPPORTED_KEYS: ReadonlyArray<{ table: RegExp; key: string; what: string; hint: string }> = [
  {
    table: /^trigger\.http\[\d+\]$/,
    key: "components",
    what: "Spin's middleware chain",
    hint: "remove it: Wisp runs the trigger's `component` alone",
  },
  {
    table: /^trigger\.http\[\d+\]$/,
    key: "dependencies",
    what: "Spin's trigger-level component dependencies",
    hint: "remove it, and give the component its `dependencies` instead",
  },
];

/** The valid keys of the table at a manifest path, for "did you mean" suggestions. */
export function keysAt(path: ReadonlyArray<string | number>, schemas: ManifestSchemas): string[] {
  const keys = (schema: { shape: Record<string, unknown> }) => Object.keys(schema.shape);
  if (path.length === 0) return keys(schemas.manifest);
  const [first] = path;
  if (first === "application" && path.length === 1) return keys(applicationSchema);
  if (first === "variables" && path.length === 2) return keys(variableSchema);
  // Where a component's keys start: `component.ID`, or an inline `trigger.http[N].component`.
  let component: ReadonlyArray<string | number> | undefined;
  if (first === "component") component = path.slice(2);
  else if (first === "trigger" && typeof path[2] === "number") {
    const inTrigger = path.slice(3);
    if (inTrigger.length === 0) return keys(schemas.httpTrigger);
    if (inTrigger[0] === "static_response") return keys(staticResponseSchema);
    if (inTrigger[0] === "executor")
      return ["type", ...new Set(schemas.executorTables.flatMap((table) => Object.keys(table.options)))];
    if (inTrigger[0] === "component") component = inTrigger.slice(1);
  }
  if (!component) return [];
  if (component.length === 0) return keys(schemas.component);
  if (component[0] === "build") return keys(buildSchema);
  if (component[0] === "tool" && component[1] === "wisp") return keys(wispToolSchema);
  if (component[0] === "source") return [...keys(sourceUrlSchema), ...keys(sourceRegistrySchema)];
  if (component[0] === "files") return keys(fileMapSchema);
  return [];
}
