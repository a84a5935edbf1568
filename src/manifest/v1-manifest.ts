import * as z from "zod/mini";
import "../schema/zod-setup.js";
import type { ManifestErrors } from "./errors.js";
import { componentIdProblem } from "./ids.js";
import { buildSchema, filesSchema, sourceSchema, variableSchema } from "./schema.js";

/**
 * Spin's manifest version 1 (`spin_manifest_version = "1"`, or `spin_version` in the oldest):
 * one trigger type for the app, `[[component]]` tables each with its `[component.trigger]`. Spin
 * still reads it by converting it to version 2 (crates/manifest/src/compat.rs), and so does Wisp:
 * v1ToV2 makes the version 2 document the rest of the manifest reads.
 */
const stringMap = z.record(z.string(), z.string());
const strings = z.optional(z.array(z.string()));

const componentV1Schema = z.strictObject({
  id: z.string(),
  source: sourceSchema,
  trigger: z.record(z.string(), z.unknown()),
  description: z.optional(z.string()),
  config: z.optional(stringMap),
  environment: z.optional(stringMap),
  files: z.optional(filesSchema),
  exclude_files: strings,
  allowed_http_hosts: strings,
  allowed_outbound_hosts: strings,
  key_value_stores: strings,
  sqlite_databases: strings,
  ai_models: strings,
  build: z.optional(buildSchema),
});

export const manifestV1Schema = z.strictObject({
  spin_manifest_version: z.optional(z.union([z.literal("1"), z.literal(1)])),
  spin_version: z.optional(z.union([z.literal("1"), z.literal(1)])),
  name: z.string().check(z.minLength(1, "must not be empty")),
  version: z.optional(z.string()),
  description: z.optional(z.string()),
  authors: strings,
  trigger: z.looseObject({ type: z.string() }),
  variables: z.optional(z.record(z.string(), variableSchema)),
  component: z.optional(z.array(componentV1Schema)),
});

type ManifestV1 = z.infer<typeof manifestV1Schema>;

/**
 * The version 2 document of a version 1 manifest, as Spin converts it: the app's trigger becomes
 * `[application.trigger.<type>]` and one `[[trigger.<type>]]` per component (id
 * `trigger-<component>`); `config` becomes the component's `variables`; a component that lists no
 * `allowed_outbound_hosts` gets the database access version 1 allowed by default (its
 * `allowed_http_hosts` stays, for outbound networking to convert as in version 2). An HTTP
 * trigger's `base` is joined to each route here (version 2's `base` Wisp does not read).
 */
export function v1ToV2(raw: ManifestV1, errors: ManifestErrors): Record<string, unknown> {
  const { type, ...triggerConfig } = raw.trigger;
  const base = type === "http" && typeof triggerConfig.base === "string" ? triggerConfig.base : "/";
  const components: Record<string, unknown> = {};
  const triggers: Array<Record<string, unknown>> = [];
  (raw.component ?? []).forEach((component, index) => {
    const id = componentIdFromV1(component.id);
    if (id in components)
      throw errors.invalid(
        ["component", index, "id"],
        `is ${JSON.stringify(component.id)}, which is the id of an earlier component${id === component.id ? "" : ` once made a version 2 id (${id})`}`,
        "give each component its own id",
      );
    const { id: _id, trigger, config, allowed_http_hosts, allowed_outbound_hosts, ...same } = component;
    // Version 1 allowed Redis, MySQL and PostgreSQL anywhere, unless the component listed its own hosts.
    const outbound = allowed_outbound_hosts ?? ["redis://*:*", "mysql://*:*", "postgres://*:*"];
    components[id] = {
      ...same,
      ...(config ? { variables: config } : {}),
      allowed_outbound_hosts: outbound,
      ...(allowed_http_hosts ? { allowed_http_hosts } : {}),
    };
    const route = type === "http" && typeof trigger.route === "string" ? { route: joinRoute(base, trigger.route) } : {};
    triggers.push({ id: `trigger-${id}`, component: id, ...trigger, ...route });
  });
  return {
    spin_manifest_version: 2,
    application: {
      name: raw.name,
      ...(raw.version ? { version: raw.version } : {}),
      ...(raw.description ? { description: raw.description } : {}),
      ...(raw.authors ? { authors: raw.authors } : {}),
      trigger: { [type]: triggerConfig },
    },
    ...(raw.variables ? { variables: raw.variables } : {}),
    trigger: { [type]: triggers },
    component: components,
  };
}

/** Spin's fix of a version 1 id that is not a valid version 2 one: underscores to dashes, lower case. */
function componentIdFromV1(id: string): string {
  return componentIdProblem(id) === undefined ? id : id.replaceAll("_", "-").toLowerCase();
}

function joinRoute(base: string, route: string): string {
  return base.replace(/\/+$/, "") + route || "/";
}
