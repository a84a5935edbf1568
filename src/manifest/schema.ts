import * as z from "zod";

// zod compiles a parser for each object schema (new Function) on its first parse. A manifest is
// parsed once per start, so compiling cost more than it saved: ~5 ms of each `wisp up`.
z.config({ jitless: true });

/**
 * Spin manifest version 2 as zod schemas. Tables are strict objects, so a misspelt key is an error
 * (with the nearest valid key suggested) rather than a setting silently ignored. Values are checked
 * for shape here; meaning (ids, routes, sizes) is checked while converting, in load-manifest.ts.
 */

const stringMap = z.record(z.string(), z.string());
/** A table of tables whose contents belong to someone else (`tool.X`, `application.trigger.X`). */
const tablesOf = z.record(z.string(), z.record(z.string(), z.unknown()));

export const variableSchema = z.strictObject({
  default: z.string().optional(),
  required: z.boolean().optional(),
  secret: z.boolean().optional(),
  description: z.string().optional(),
});

export const applicationSchema = z.strictObject({
  name: z.string().min(1, "must not be empty"),
  version: z.string().optional(),
  description: z.string().optional(),
  authors: z.array(z.string()).optional(),
  targets: z.array(z.unknown()).optional(),
  /** `[application.trigger.http] base = "/"` and the like: read, not used. */
  trigger: tablesOf.optional(),
  tool: tablesOf.optional(),
});

export const sourceUrlSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
  digest: z.string().regex(/^sha256:[0-9a-fA-F]{64}$/, 'must be "sha256:" followed by the file\'s 64 hex digit SHA-256'),
});

/** Spin's registry sources; Wisp cannot fetch them (load-manifest.ts says so), but knows their shape. */
export const sourceRegistrySchema = z.strictObject({
  registry: z.string().optional(),
  package: z.string(),
  version: z.string(),
});

export const fileMapSchema = z.strictObject({ source: z.string(), destination: z.string() });

export const buildSchema = z.strictObject({
  command: z.union([z.string(), z.array(z.string())], { error: 'must be a command string or a list of them, e.g. "npm run build"' }),
  workdir: z.string().optional(),
  watch: z.array(z.string()).optional(),
});

/** Wisp's own per-component settings, `[component.ID.tool.wisp]`: its limits. */
const sizeOrNumber = z.union([z.string(), z.number()], { error: 'must be a size such as "64MiB" or a number of bytes' });
export const wispToolSchema = z.strictObject({
  timeout: z.union([z.string(), z.number()], { error: 'must be a duration such as "30s" or a number of milliseconds' }).optional(),
  max_memory: sizeOrNumber.optional(),
  max_request_body: sizeOrNumber.optional(),
});

export const componentSchema = z.strictObject({
  source: z.union([z.string(), sourceUrlSchema, sourceRegistrySchema], {
    error: 'must be a path (source = "target/app.wasm") or a download (source = { url = "https://...", digest = "sha256:..." })',
  }),
  description: z.string().optional(),
  files: z.array(z.union([z.string(), fileMapSchema], { error: 'must be a glob ("static/**/*") or { source = "dir", destination = "/dir" }' })).optional(),
  exclude_files: z.array(z.string()).optional(),
  environment: stringMap.optional(),
  allowed_outbound_hosts: z.array(z.string()).optional(),
  /** Spin 1's key: load-manifest.ts refuses it with the `allowed_outbound_hosts` to write instead. */
  allowed_http_hosts: z.array(z.string()).optional(),
  key_value_stores: z.array(z.string()).optional(),
  sqlite_databases: z.array(z.string()).optional(),
  ai_models: z.array(z.string()).optional(),
  targets: z.array(z.unknown()).optional(),
  variables: stringMap.optional(),
  build: buildSchema.optional(),
  /** Read for `wisp build`'s order (local paths, other components); otherwise opaque. */
  dependencies: z.record(z.string(), z.unknown()).optional(),
  dependencies_inherit_configuration: z.boolean().optional(),
  /** Spin's `--profile` overrides; Wisp has no profiles, so (as Spin without `--profile`) they are ignored. */
  profile: tablesOf.optional(),
  /** `[component.ID.tool.X]`: Wisp reads `tool.wisp` (checked with wispToolSchema); other tools' tables are theirs. */
  tool: tablesOf.optional(),
});

export const executorSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("http") }),
  z.strictObject({ type: z.literal("spin") }), // Spin's older name for "http"
  z.strictObject({ type: z.literal("wagi"), argv: z.string().optional(), entrypoint: z.string().optional() }),
], { error: 'must be { type = "http" } (the default) or { type = "wagi" }' });

export const staticResponseSchema = z.strictObject({
  status_code: z.int().min(100, "must be an HTTP status, 100 to 999").max(999, "must be an HTTP status, 100 to 999").optional(),
  headers: stringMap.optional(),
  body: z.string().optional(),
});

export const httpTriggerSchema = z.strictObject({
  id: z.string().optional(),
  route: z.union([z.string(), z.strictObject({ private: z.literal(true, "must be true") })], {
    error: 'must be a path such as "/api/..." or { private = true }',
  }),
  component: z.union([z.string(), componentSchema], { error: "must be a component id, or an inline table like [component.ID]" }).optional(),
  executor: executorSchema.optional(),
  static_response: staticResponseSchema.optional(),
});

export const manifestSchema = z.strictObject({
  spin_manifest_version: z.literal(2),
  application: applicationSchema,
  variables: z.record(z.string(), variableSchema).optional(),
  /** `[[trigger.http]]` is checked in full; other trigger types are kept so they can be named, not run. */
  trigger: z.object({ http: z.array(httpTriggerSchema).optional() }).catchall(z.array(z.record(z.string(), z.unknown()))).optional(),
  component: z.record(z.string(), componentSchema).optional(),
});

export type RawManifest = z.infer<typeof manifestSchema>;
export type RawComponent = z.infer<typeof componentSchema>;
export type RawHttpTrigger = z.infer<typeof httpTriggerSchema>;

/**
 * Keys Spin knows in a table but Wisp does not support, with why: better than "did you mean" a
 * near miss (`components` is not a typo of `component`).
 */
export const UNSUPPORTED_KEYS: ReadonlyArray<{ table: RegExp; key: string; what: string; hint: string }> = [
  { table: /^trigger\.http\[\d+\]$/, key: "components", what: "Spin's middleware chain", hint: "remove it: Wisp runs the trigger's `component` alone" },
  { table: /^trigger\.http\[\d+\]$/, key: "dependencies", what: "Spin's trigger-level component dependencies", hint: "remove it, and give the component its `dependencies` instead" },
];

/** The valid keys of the table at a manifest path, for "did you mean" suggestions. */
export function keysAt(path: ReadonlyArray<string | number>): string[] {
  const keys = (schema: { shape: Record<string, unknown> }) => Object.keys(schema.shape);
  if (path.length === 0) return keys(manifestSchema);
  const [first] = path;
  if (first === "application" && path.length === 1) return keys(applicationSchema);
  if (first === "variables" && path.length === 2) return keys(variableSchema);
  // Where a component's keys start: `component.ID`, or an inline `trigger.http[N].component`.
  let component: ReadonlyArray<string | number> | undefined;
  if (first === "component") component = path.slice(2);
  else if (first === "trigger" && typeof path[2] === "number") {
    const inTrigger = path.slice(3);
    if (inTrigger.length === 0) return keys(httpTriggerSchema);
    if (inTrigger[0] === "static_response") return keys(staticResponseSchema);
    if (inTrigger[0] === "executor") return ["type", "argv", "entrypoint"];
    if (inTrigger[0] === "component") component = inTrigger.slice(1);
  }
  if (!component) return [];
  if (component.length === 0) return keys(componentSchema);
  if (component[0] === "build") return keys(buildSchema);
  if (component[0] === "tool" && component[1] === "wisp") return keys(wispToolSchema);
  if (component[0] === "source") return [...keys(sourceUrlSchema), ...keys(sourceRegistrySchema)];
  if (component[0] === "files") return keys(fileMapSchema);
  return [];
}
