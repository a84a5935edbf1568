import { z } from "zod";

/** Spin manifest version 2, as zod schemas. Objects are strict so that a typo is an error, not a silent default. */

const stringMap = z.record(z.string(), z.string());

export const variableSchema = z.strictObject({
  default: z.string().optional(),
  required: z.boolean().optional(),
  secret: z.boolean().optional(),
  description: z.string().optional(),
});

export const applicationSchema = z.strictObject({
  name: z.string().min(1),
  version: z.string().optional(),
  description: z.string().optional(),
  authors: z.array(z.string()).optional(),
  targets: z.array(z.string()).optional(),
  trigger: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  tool: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

export const sourceUrlSchema = z.strictObject({
  url: z.string().url(),
  digest: z.string().regex(/^sha256:[0-9a-fA-F]{64}$/, "must be `sha256:` followed by 64 hex digits"),
});

export const fileMapSchema = z.strictObject({ source: z.string(), destination: z.string() });

export const buildSchema = z.strictObject({
  command: z.union([z.string(), z.array(z.string())]),
  workdir: z.string().optional(),
  watch: z.array(z.string()).optional(),
});

/** Wisp's own per-component settings: `[component.ID.tool.wisp]`. */
export const wispToolSchema = z.strictObject({
  timeout: z.union([z.string(), z.number()]).optional(),
  max_memory: z.union([z.string(), z.number()]).optional(),
  max_request_body: z.union([z.string(), z.number()]).optional(),
});

export const componentSchema = z.strictObject({
  description: z.string().optional(),
  source: z.union([z.string(), sourceUrlSchema]),
  files: z.array(z.union([z.string(), fileMapSchema])).optional(),
  exclude_files: z.array(z.string()).optional(),
  environment: stringMap.optional(),
  allowed_outbound_hosts: z.array(z.string()).optional(),
  allowed_http_hosts: z.array(z.string()).optional(),
  key_value_stores: z.array(z.string()).optional(),
  sqlite_databases: z.array(z.string()).optional(),
  ai_models: z.array(z.string()).optional(),
  variables: stringMap.optional(),
  build: buildSchema.optional(),
  dependencies: z.record(z.string(), z.unknown()).optional(),
  dependencies_inherit_configuration: z.boolean().optional(),
  tool: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

export const executorSchema = z.union([
  z.strictObject({ type: z.literal("http") }),
  z.strictObject({ type: z.literal("spin") }),
  z.strictObject({ type: z.literal("wagi"), argv: z.string().optional(), entrypoint: z.string().optional() }),
]);

export const staticResponseSchema = z.strictObject({
  status_code: z.number().int().min(100).max(999).optional(),
  headers: stringMap.optional(),
  body: z.string().optional(),
});

export const httpTriggerSchema = z.strictObject({
  id: z.string().optional(),
  route: z.union([z.string(), z.strictObject({ private: z.literal(true) })]),
  component: z.union([z.string(), componentSchema]).optional(),
  executor: executorSchema.optional(),
  static_response: staticResponseSchema.optional(),
});

export const manifestSchema = z.strictObject({
  spin_manifest_version: z.literal(2),
  application: applicationSchema,
  variables: z.record(z.string(), variableSchema).optional(),
  trigger: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).optional(),
  component: z.record(z.string(), componentSchema).optional(),
});

export type RawManifest = z.infer<typeof manifestSchema>;
export type RawComponent = z.infer<typeof componentSchema>;
export type RawHttpTrigger = z.infer<typeof httpTriggerSchema>;

/** The valid keys of the table at a manifest path, for "did you mean" suggestions. */
export function keysAt(path: ReadonlyArray<string | number>): string[] {
  const [first, second, third, fourth] = path;
  const keys = (schema: { shape: Record<string, unknown> }) => Object.keys(schema.shape);
  if (path.length === 0) return keys(manifestSchema);
  if (first === "application") return keys(applicationSchema);
  if (first === "variables") return keys(variableSchema);
  if (first === "component" && path.length === 2) return keys(componentSchema);
  if (first === "component" && third === "build") return keys(buildSchema);
  if (first === "component" && third === "tool" && fourth === "wisp") return keys(wispToolSchema);
  if (first === "component" && third === "source") return keys(sourceUrlSchema);
  if (first === "component" && third === "files") return keys(fileMapSchema);
  if (first === "trigger" && second === "http" && path.length === 3) return keys(httpTriggerSchema);
  if (first === "trigger" && path[3] === "static_response") return keys(staticResponseSchema);
  if (first === "trigger" && path[3] === "executor") return ["type", "argv", "entrypoint"];
  if (first === "trigger" && path[3] === "component") return keys(componentSchema);
  return [];
}
