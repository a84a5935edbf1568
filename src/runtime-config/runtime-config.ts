import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parse, TomlError } from "smol-toml";
import { WispError } from "../errors/wisp-error.js";
import * as z from "zod/mini";
import "../schema/zod-setup.js";
import type { KeyValueBackend } from "../capabilities/key-value/index.js";
import type { SqliteBackend } from "../capabilities/sqlite/index.js";
import { storeFileProblem } from "./store-file.js";

/**
 * `--runtime-config-file`: where capabilities keep their data, in Spin's format. Sections Wisp
 * reads today: `[key_value_store.LABEL]` with `type = "spin"` (a SQLite file at `path`) or
 * `type = "redis"` (`url`), and
 * `[sqlite_database.LABEL]` (a SQLite file at `path`).
 */
export interface RuntimeConfig {
  keyValueStores: Map<string, KeyValueBackend>;
  sqliteDatabases: Map<string, SqliteBackend>;
  /** `[[variables_provider]]` (or Spin's older `[[config_provider]]`), asked in order. */
  variablesProviders: VariablesProvider[];
}

export type VariablesProvider =
  | { type: "static"; values: Map<string, string> }
  | { type: "env"; prefix: string; dotenvPath?: string };

const keyValueStoreSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("spin"), path: z.optional(z.string()) }),
  z.strictObject({ type: z.literal("redis"), url: z.string().check(z.regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")) }),
]);
const sqliteDatabaseSchema = z.strictObject({ type: z.optional(z.literal("spin")), path: z.optional(z.string()) });
const variablesProviderSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("static"), values: z.record(z.string(), z.string()) }),
  z.strictObject({ type: z.literal("env"), prefix: z.optional(z.string()), dotenv_path: z.optional(z.string()) }),
]);
const schema = z.strictObject({
  key_value_store: z.optional(z.record(z.string(), keyValueStoreSchema)),
  sqlite_database: z.optional(z.record(z.string(), sqliteDatabaseSchema)),
  variables_provider: z.optional(z.array(variablesProviderSchema)),
  config_provider: z.optional(z.array(variablesProviderSchema)),
});

/** The default store Spin and Wisp give every app: a SQLite file in the app's state folder. */
export function defaultRuntimeConfig(appDir: string): RuntimeConfig {
  return {
    keyValueStores: new Map([["default", { type: "spin", path: resolve(appDir, ".wisp", "sqlite_key_value.db") }]]),
    sqliteDatabases: new Map([["default", { path: resolve(appDir, ".wisp", "sqlite_db.db") }]]),
    variablesProviders: [],
  };
}

export async function loadRuntimeConfig(file: string | undefined, appDir: string): Promise<RuntimeConfig> {
  const config = defaultRuntimeConfig(appDir);
  if (!file) return config;
  const path = resolve(file);
  const text = await readFile(path, "utf8").catch(() => {
    throw new WispError("RUNTIME_CONFIG_INVALID", `cannot read the runtime config file ${path}`, "check the path given to --runtime-config-file");
  });
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    if (error instanceof TomlError) throw new WispError("RUNTIME_CONFIG_INVALID", `${path}:${error.line}:${error.column}: ${error.message.split("\n")[0]}`, "fix the TOML syntax at that line");
    throw error;
  }
  const result = schema.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = [...issue.path, ...("keys" in issue ? [issue.keys[0]] : [])].join(".");
    throw new WispError("RUNTIME_CONFIG_INVALID", `${path}: \`${key}\` ${issue.code === "unrecognized_keys" ? "is not supported" : issue.message}`,
      'Wisp reads [key_value_store.LABEL] (type = "spin" with path, or type = "redis" with url), [sqlite_database.LABEL] (path) and [[variables_provider]] (type = "static" with values, or type = "env" with prefix and dotenv_path)');
  }
  const base = dirname(path);
  /** A store's `path`, resolved against the config's folder and refused now if it cannot hold a SQLite database. */
  const storePath = async (key: string, given: string): Promise<string> => {
    const file = resolve(base, given);
    const problem = await storeFileProblem(file, { folderMayBeMissing: false });
    if (problem) {
      throw new WispError("RUNTIME_CONFIG_INVALID", `${path}: \`${key}\` is ${JSON.stringify(given)}: ${file} ${problem}`,
        "point it at a SQLite file, or at a new file in an existing folder (relative to the runtime config's folder); move a corrupt file away to start afresh");
    }
    return file;
  };
  for (const [label, store] of Object.entries(result.data.key_value_store ?? {})) {
    if (store.type === "redis") config.keyValueStores.set(label, { type: "redis", url: store.url });
    else config.keyValueStores.set(label, { type: "spin", path: store.path ? await storePath(`key_value_store.${label}.path`, store.path) : resolve(appDir, ".wisp", `sqlite_key_value_${label}.db`) });
  }
  for (const provider of [...(result.data.variables_provider ?? []), ...(result.data.config_provider ?? [])]) {
    config.variablesProviders.push(provider.type === "static"
      ? { type: "static", values: new Map(Object.entries(provider.values)) }
      : { type: "env", prefix: provider.prefix ?? "SPIN_VARIABLE", dotenvPath: provider.dotenv_path ? resolve(base, provider.dotenv_path) : undefined });
  }
  for (const [label, database] of Object.entries(result.data.sqlite_database ?? {})) {
    config.sqliteDatabases.set(label, { path: database.path ? await storePath(`sqlite_database.${label}.path`, database.path) : resolve(appDir, ".wisp", `sqlite_db_${label}.db`) });
  }
  return config;
}
