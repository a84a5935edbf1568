import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parse, TomlError } from "smol-toml";
import * as z from "zod/mini";
import { WispError } from "../errors/wisp-error.js";
import "../schema/zod-setup.js";
import type { ConfigOfSections, RuntimeConfigSection, SectionContext } from "./section.js";
import { storeFileProblem } from "./store-file.js";

type Sections = Readonly<Record<string, RuntimeConfigSection<unknown>>>;

/** Every section's defaults: the configuration of an app started without a runtime config file. */
export function defaultRuntimeConfig<S extends Sections>(appDir: string, sections: S): ConfigOfSections<S> {
  return Object.fromEntries(
    Object.entries(sections).map(([name, section]) => [name, section.defaults(appDir)]),
  ) as ConfigOfSections<S>;
}

/**
 * `--runtime-config-file`, in Spin's format, read by the sections given (the capabilities' own):
 * each gets its keys, checked against its schema; a key no section reads is refused, as is a
 * malformed value, with the file, the key and what Wisp reads. Without a file, the defaults.
 */
export async function loadRuntimeConfig<S extends Sections>(
  file: string | undefined,
  appDir: string,
  sections: S,
): Promise<ConfigOfSections<S>> {
  const config = defaultRuntimeConfig(appDir, sections);
  if (!file) return config;
  const path = resolve(file);
  const text = await readFile(path, "utf8").catch(() => {
    throw new WispError(
      "RUNTIME_CONFIG_INVALID",
      `cannot read the runtime config file ${path}`,
      "check the path given to --runtime-config-file",
    );
  });
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    if (error instanceof TomlError)
      throw new WispError(
        "RUNTIME_CONFIG_INVALID",
        `${path}:${error.line}:${error.column}: ${error.message.split("\n")[0]}`,
        "fix the TOML syntax at that line",
      );
    throw error;
  }
  const all = Object.values(sections);
  const schema = z.strictObject(
    Object.fromEntries(all.flatMap((s) => Object.entries(s.keys).map(([key, value]) => [key, z.optional(value)]))),
  );
  const result = schema.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = [...issue.path, ...("keys" in issue ? [issue.keys[0]] : [])].join(".");
    throw new WispError(
      "RUNTIME_CONFIG_INVALID",
      `${path}: \`${key}\` ${issue.code === "unrecognized_keys" ? "is not supported" : issue.message}`,
      `Wisp reads ${listed(all.map((s) => s.describe))}`,
    );
  }
  const base = dirname(path);
  const context: SectionContext = {
    appDir,
    resolve: (given) => resolve(base, given),
    async storePath(key, given) {
      const store = resolve(base, given);
      const problem = await storeFileProblem(store, { folderMayBeMissing: false });
      if (problem) {
        throw new WispError(
          "RUNTIME_CONFIG_INVALID",
          `${path}: \`${key}\` is ${JSON.stringify(given)}: ${store} ${problem}`,
          "point it at a SQLite file, or at a new file in an existing folder (relative to the runtime config's folder); move a corrupt file away to start afresh",
        );
      }
      return store;
    },
  };
  const values = result.data as Record<string, unknown>;
  for (const [name, section] of Object.entries(sections)) {
    const own = Object.fromEntries(
      Object.keys(section.keys).flatMap((key) => (values[key] === undefined ? [] : [[key, values[key]]])),
    );
    (config as Record<string, unknown>)[name] = await section.read(own, context, config[name]);
  }
  return config;
}

/** "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)!}`;
}
