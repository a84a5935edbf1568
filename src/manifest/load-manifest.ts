import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parse, TomlError } from "smol-toml";
import { WispError } from "../errors/wisp-error.js";
import type { AppManifest, ManifestComponent } from "./app-manifest.js";
import { toComponent } from "./component.js";
import { ManifestErrors, tomlValue } from "./errors.js";
import { findManifest } from "./find-manifest.js";
import { toTriggerEntries } from "./trigger-entries.js";
import { idLike, variableNameProblem } from "./ids.js";
import type { ManifestExtensions } from "./manifest-extensions.js";
import type { TriggerTableValue } from "./trigger-tables.js";
import { manifestSchemas } from "./schema.js";
import { manifestV1Schema, v1ToV2 } from "./v1-manifest.js";

/**
 * Reads and checks a Spin manifest (version 2): `pathOrDir` is the manifest, or a folder holding
 * `spin.toml` or `wisp.toml`, checked with the `extensions` the layers above give it (the
 * capabilities' component keys, the executors' tables: app/load-app-manifest.ts has the app's). Every error is a WispError naming the file, the key
 * and, where it can be found, the line.
 */
export async function loadManifest(pathOrDir: string, extensions: ManifestExtensions): Promise<AppManifest> {
  const file = await findManifest(pathOrDir);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new WispError(
      "MANIFEST_NOT_FOUND",
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      "check the file's permissions, or pass another manifest with -f",
    );
  }
  return parseManifest(text, file, extensions);
}

/** The manifest in `text`, read from `file` (which names it in errors and anchors its relative paths). */
export function parseManifest(text: string, file: string, extensions: ManifestExtensions): AppManifest {
  file = resolve(file);
  const dir = dirname(file);
  const schemas = manifestSchemas(extensions);
  const errors = new ManifestErrors(file, text, schemas);
  let doc = parseToml(text, file);

  // The version first: one manifest's keys are not the other's.
  // (`spin_version` is what the oldest version 1 manifests call it.)
  let version = doc.spin_manifest_version ?? doc.spin_version;
  if (version === "1" || version === 1) {
    const key = doc.spin_manifest_version === undefined ? "spin_version" : "spin_manifest_version";
    if (doc.application !== undefined)
      throw errors.invalid(
        [key],
        `is ${tomlValue(version)}, but the manifest is written as version 2 (it has [application])`,
        "write `spin_manifest_version = 2` (a number)",
      );
    doc = v1ToV2(errors.check(manifestV1Schema, doc), errors);
    version = 2;
  }
  if (version === undefined) {
    const misspelt = errors.misspelling(doc, [], "spin_manifest_version");
    if (misspelt !== undefined) throw errors.unknownKey([], misspelt);
  }
  if (version !== 2) {
    const key =
      doc.spin_manifest_version === undefined && version !== undefined ? "spin_version" : "spin_manifest_version";
    throw errors.invalid(
      [key],
      version === undefined ? "is missing" : `is ${tomlValue(version)}, and Wisp reads versions 1 and 2`,
      version === undefined
        ? "add `spin_manifest_version = 2` at the top of the manifest"
        : "write `spin_manifest_version = 2` (a number)",
    );
  }
  const raw = errors.check(schemas.manifest, doc);

  const variables: AppManifest["variables"] = new Map();
  for (const [name, variable] of Object.entries(raw.variables ?? {})) {
    const problem = variableNameProblem(name);
    if (problem) {
      throw errors.invalid(
        ["variables", name],
        `is not a valid variable name: ${problem}`,
        `variable names are lowercase snake_case, e.g. "${idLike(name, "_")}"`,
      );
    }
    const required = variable.required ?? false;
    if (required === (variable.default !== undefined)) {
      throw errors.invalid(
        ["variables", name],
        required ? "is required and has a default" : "is neither required nor has a default",
        `give it either \`required = true\` (it must be set when the app starts) or \`default = "..."\`, not ${required ? "both" : "neither"}`,
      );
    }
    variables.set(name, { default: variable.default, required, secret: variable.secret ?? false });
  }

  const components = new Map<string, ManifestComponent>();
  for (const [id, component] of Object.entries(raw.component ?? {})) {
    components.set(id, toComponent(id, component, dir, ["component", id], errors, schemas.componentKeys));
  }
  const tables = (raw.trigger ?? {}) as Record<string, TriggerTableValue[] | undefined>;
  const triggers = new Map(
    extensions.triggerTables.map((table) => [
      table.type,
      toTriggerEntries(table, tables[table.type] ?? [], components, dir, errors, schemas),
    ]),
  );

  return {
    file,
    dir,
    name: raw.application.name,
    version: raw.application.version,
    description: raw.application.description,
    variables,
    components,
    triggers,
    otherTriggers: Object.keys(tables).filter((type) => !schemas.triggerTables.has(type)),
  };
}

function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // smol-toml's message is "Invalid TOML document: <what>" and then an excerpt with a caret.
    const what = error.message.split("\n")[0]!.replace(/^Invalid TOML document:\s*/, "");
    throw new WispError(
      "MANIFEST_SYNTAX",
      `${file}:${error.line}:${error.column}: ${what}`,
      "fix the TOML at that line and column (the syntax is at https://toml.io)",
    );
  }
}
