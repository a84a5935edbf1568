import * as z from "zod/mini";
import "../schema/zod-setup.js";
import type { ComponentKey } from "./component-keys.js";
import type { TriggerTable } from "./trigger-tables.js";
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

/** A component's `source`: a path, a download, or a registry package (refused, see component.ts). */
export const sourceSchema = z.union([z.string(), sourceUrlSchema, sourceRegistrySchema], {
  error:
    'must be a path (source = "target/app.wasm") or a download (source = { url = "https://...", digest = "sha256:..." })',
});

/** A component's `files`: globs and `{ source, destination }` mappings. */
export const filesSchema = z.array(
  z.union([z.string(), fileMapSchema], {
    error: 'must be a glob ("static/**/*") or { source = "dir", destination = "/dir" }',
  }),
);

/** A component table's own keys; the capabilities' (`key_value_stores`...) are added by manifestSchemas. */
const componentShape = {
  source: sourceSchema,
  description: z.optional(z.string()),
  files: z.optional(filesSchema),
  exclude_files: z.optional(z.array(z.string())),
  environment: z.optional(stringMap),
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

/** The schemas of a manifest with `extensions` (see ManifestExtensions), and what its errors need of them. */
export interface ManifestSchemas {
  manifest: ReturnType<typeof schemasWith>["manifest"];
  component: ReturnType<typeof schemasWith>["component"];
  componentKeys: ReadonlyMap<string, ComponentKey>;
  triggerTables: ReadonlyMap<string, TriggerTable>;
  /** What to write for a bad value of an extension's key, by key (see ComponentKey.hint, TriggerTable.hints). */
  hints: ReadonlyMap<string, string>;
  /**
   * Keys Spin knows in a table but Wisp does not support, with why (see TriggerTable.unsupported):
   * better than "did you mean" a near miss (`components` is not a typo of `component`).
   */
  unsupported: ReadonlyArray<{ table: RegExp; key: string; what: string; hint: string }>;
}

const built = new WeakMap<ManifestExtensions, ManifestSchemas>();

/** The schemas for `extensions`, built once per extensions object. */
export function manifestSchemas(extensions: ManifestExtensions): ManifestSchemas {
  let schemas = built.get(extensions);
  if (!schemas) {
    schemas = {
      ...schemasWith(extensions),
      componentKeys: new Map(extensions.componentKeys.map((key) => [key.name, key])),
      triggerTables: new Map(extensions.triggerTables.map((table) => [table.type, table])),
      hints: new Map([
        ...extensions.componentKeys.map((key): [string, string] => [key.name, key.hint]),
        ...extensions.triggerTables.flatMap((table) => Object.entries(table.hints ?? {})),
      ]),
      unsupported: extensions.triggerTables.flatMap((table) =>
        (table.unsupported ?? []).map((key) => ({ table: new RegExp(`^trigger\\.${table.type}\\[\\d+\\]$`), ...key })),
      ),
    };
    built.set(extensions, schemas);
  }
  return schemas;
}

function schemasWith({ componentKeys, triggerTables }: ManifestExtensions) {
  const component = z.strictObject({
    ...componentShape,
    ...(Object.fromEntries(componentKeys.map((key) => [key.name, z.optional(key.schema)])) as Record<
      string,
      z.ZodMiniOptional
    >),
  });
  const trigger = (table: TriggerTable) =>
    z.strictObject({
      id: z.optional(z.string()),
      component: z.optional(
        z.union([z.string(), component], { error: "must be a component id, or an inline table like [component.ID]" }),
      ),
      ...table.keys,
    });
  const manifest = z.strictObject({
    spin_manifest_version: z.literal(2),
    application: applicationSchema,
    variables: z.optional(z.record(z.string(), variableSchema)),
    /** The tables of the triggers Wisp runs are checked in full; other trigger types are kept so they can be named, not run. */
    trigger: z.optional(
      z.catchall(
        z.object(Object.fromEntries(triggerTables.map((table) => [table.type, z.optional(z.array(trigger(table)))]))),
        z.array(z.record(z.string(), z.unknown())),
      ),
    ),
    component: z.optional(z.record(z.string(), component)),
  });
  return { manifest, component };
}

/** A component table as its schema reads it: its own keys typed, the capabilities' as they come. */
export type RawComponent = z.infer<z.ZodMiniObject<typeof componentShape>> & Record<string, unknown>;

/** The valid keys of the table at a manifest path, for "did you mean" suggestions: read off its schema. */
export function keysAt(path: ReadonlyArray<string | number>, schemas: ManifestSchemas, root?: unknown): string[] {
  // `[component.ID.tool.wisp]` is checked on its own (see limits.ts): the component's schema holds any tool's table.
  const tool = path.length >= 2 && path.at(-2) === "tool" && path.at(-1) === "wisp";
  let schema = (tool ? wispToolSchema : (root ?? schemas.manifest)) as Schema | undefined;
  for (const key of tool ? [] : path) schema = schema && childOf(schema, key);
  return schema ? keysOf(schema) : [];
}

/** What keysAt reads of a zod schema. */
type Schema = { _zod: { def: SchemaDef } };
type SchemaDef = {
  type: string;
  innerType?: Schema;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  element?: Schema;
  valueType?: Schema;
  options?: readonly Schema[];
};

function unwrapped(schema: Schema): SchemaDef {
  let def = schema._zod.def;
  while (def.innerType) def = def.innerType._zod.def;
  return def;
}

function childOf(schema: Schema, key: string | number): Schema | undefined {
  const def = unwrapped(schema);
  switch (def.type) {
    case "object":
      return def.shape![key] ?? def.catchall;
    case "array":
      return typeof key === "number" ? def.element : undefined;
    case "record":
      return def.valueType;
    case "union":
      return def.options!.map((option) => childOf(option, key)).find((child) => child !== undefined);
    default:
      return undefined;
  }
}

function keysOf(schema: Schema): string[] {
  const def = unwrapped(schema);
  if (def.type === "object") return Object.keys(def.shape!);
  if (def.type === "union") return [...new Set(def.options!.flatMap(keysOf))];
  return [];
}
