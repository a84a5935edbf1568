import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { WispError } from "../../errors/wisp-error.js";
import type { AppManifest } from "../../manifest/index.js";
import type { VariablesProvider } from "./runtime-config.js";
import { parseTemplate, renderTemplate, VARIABLE_NAME, type TemplatePart } from "./template.js";
import { componentVariables } from "./component-variables.js";

export interface VariableSources {
  /** `wisp up --variable NAME=VALUE`: wins over everything. */
  cli: ReadonlyMap<string, string>;
  /** The process environment (`WISP_VARIABLE_NAME`, `SPIN_VARIABLE_NAME`). */
  env: NodeJS.ProcessEnv;
  /** The runtime config's providers, asked after `--variable` and before the environment. */
  providers?: readonly VariablesProvider[];
}

/** The app's variables and each component's, resolved (component: the names its code may `get`). */
export interface ResolvedVariables {
  app: Map<string, string>;
  components: Map<string, Array<[string, string]>>;
  /** Per component, the values its logs must hide: secret variables and what they render into. */
  secrets: Map<string, string[]>;
}

/**
 * Resolves the app's variables once, at start: for each `[variables]` entry, the first of
 * `--variable`, the runtime config's `[[variables_provider]]`s in order (static values, or an
 * environment prefix with its own .env), `WISP_VARIABLE_<NAME>`, `SPIN_VARIABLE_<NAME>`, the same
 * keys in the app's `.env` file, then the manifest's `default` (Spin's order). A required variable with none of these fails here, by
 * name; so does a component variable that refers to a variable the app does not declare. Values
 * are never written to a log.
 */
export async function resolveVariables(manifest: AppManifest, sources: VariableSources): Promise<ResolvedVariables> {
  const dotenv = await readDotenv(join(manifest.dir, ".env"));
  const providers = await Promise.all(
    (sources.providers ?? []).map(async (provider) =>
      provider.type === "static"
        ? provider
        : { ...provider, dotenv: provider.dotenvPath ? await readDotenv(provider.dotenvPath) : {} },
    ),
  );
  const fromProviders = (name: string): string | undefined => {
    for (const provider of providers) {
      if (provider.type === "static") {
        const value = provider.values.get(name);
        if (value !== undefined) return value;
      } else {
        const key = `${provider.prefix}_${name.toUpperCase()}`;
        const value = sources.env[key] ?? provider.dotenv[key];
        if (value !== undefined) return value;
      }
    }
    return undefined;
  };
  for (const name of sources.cli.keys()) {
    if (!manifest.variables.has(name)) {
      throw new WispError(
        "VARIABLE_UNDECLARED",
        `--variable ${name}: the app declares no variable named ${name}`,
        `declare it in [variables] of ${manifest.file}, or check its spelling`,
      );
    }
  }
  const values = new Map<string, string>();
  for (const [name, declaration] of manifest.variables) {
    if (!VARIABLE_NAME.test(name)) {
      throw new WispError(
        "MANIFEST_INVALID",
        `${manifest.file}: variable "${name}" is not a valid name`,
        "use lowercase letters, digits and _, starting with a letter",
      );
    }
    const envKey = name.toUpperCase();
    const value =
      sources.cli.get(name) ??
      fromProviders(name) ??
      sources.env[`WISP_VARIABLE_${envKey}`] ??
      sources.env[`SPIN_VARIABLE_${envKey}`] ??
      dotenv[`WISP_VARIABLE_${envKey}`] ??
      dotenv[`SPIN_VARIABLE_${envKey}`] ??
      declaration.default;
    if (value !== undefined) values.set(name, value);
    else if (declaration.required) {
      throw new WispError(
        "VARIABLE_MISSING",
        `the app's required variable ${name} has no value`,
        `set it with --variable ${name}=VALUE, the environment variable WISP_VARIABLE_${envKey}, or a line WISP_VARIABLE_${envKey}=... in ${join(manifest.dir, ".env")}`,
      );
    }
  }
  const resolved = new Map<string, Array<[string, string]>>();
  const secrets = new Map<string, string[]>();
  const secretNames = new Set([...manifest.variables].filter(([, d]) => d.secret).map(([name]) => name));
  for (const component of manifest.components.values()) {
    const entries: Array<[string, string]> = [];
    for (const [key, template] of componentVariables(component)) {
      const parts = parseTemplate(template);
      if ("error" in parts) {
        throw new WispError(
          "MANIFEST_INVALID",
          `${manifest.file}: component.${component.id}.variables.${key}: ${parts.error}`,
          "write references as {{ name }}",
        );
      }
      checkReferences(manifest, component.id, key, parts, values);
      const rendered = renderTemplate(parts, values);
      entries.push([key, rendered]);
      const usesSecret = parts.filter((p) => "variable" in p && secretNames.has(p.variable)) as Array<{
        variable: string;
      }>;
      if (usesSecret.length > 0) {
        // Too short a value would redact ordinary text; such a secret is no secret anyway.
        const hidden = [rendered, ...usesSecret.map((p) => values.get(p.variable)!)].filter((v) => v.length >= 4);
        secrets.set(
          component.id,
          [...new Set([...(secrets.get(component.id) ?? []), ...hidden])].sort((a, b) => b.length - a.length),
        );
      }
    }
    resolved.set(component.id, entries);
  }
  return { app: values, components: resolved, secrets };
}

function checkReferences(
  manifest: AppManifest,
  componentId: string,
  key: string,
  parts: TemplatePart[],
  values: Map<string, string>,
): void {
  for (const part of parts) {
    if (!("variable" in part)) continue;
    if (!manifest.variables.has(part.variable)) {
      throw new WispError(
        "MANIFEST_INVALID",
        `${manifest.file}: component.${componentId}.variables.${key} refers to {{ ${part.variable} }}, which [variables] does not declare`,
        `declare ${part.variable} in [variables]`,
      );
    }
    if (!values.has(part.variable)) {
      throw new WispError(
        "VARIABLE_MISSING",
        `variable ${part.variable}, used by component ${componentId}, has no value and no default`,
        `set it with --variable ${part.variable}=VALUE or WISP_VARIABLE_${part.variable.toUpperCase()}, or give it a default`,
      );
    }
  }
}

async function readDotenv(file: string): Promise<Record<string, string | undefined>> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  return text === undefined ? {} : parseEnv(text);
}
