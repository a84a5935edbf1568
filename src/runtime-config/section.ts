import type * as z from "zod/mini";

/**
 * One part of the runtime config file that a capability owns (Spin's runtime config is the
 * same: each factor reads its own tables). The loader parses the file's TOML, checks every key
 * against the sections' schemas (a key no section owns is refused), and hands each section its
 * values. Sections know nothing of each other; the runtime-config layer knows no capability.
 */
export interface RuntimeConfigSection<Config> {
  /** The top-level keys it reads, each with its schema (`key_value_store`: a table of stores). */
  readonly keys: Readonly<Record<string, z.ZodMiniType>>;
  /** How the error hint names what it reads, e.g. `[sqlite_database.LABEL] (path)`. */
  readonly describe: string;
  /** What an app gets without a runtime config file (Spin's defaults under `.wisp/`). */
  defaults(appDir: string): Config;
  /**
   * The section as the file sets it: `values` holds its keys that are present, already checked
   * against `keys`. Refuses a value that cannot be used (a store path) with a WispError naming
   * its key, through `context`.
   */
  read(values: Readonly<Record<string, unknown>>, context: SectionContext, defaults: Config): Promise<Config>;
}

/** What a section may ask of the loader while it reads its values. */
export interface SectionContext {
  /** The app's folder: default files live in its `.wisp/`. */
  appDir: string;
  /** A path the file gives, resolved against the file's folder. */
  resolve(given: string): string;
  /** A store's file (`key` names it in errors), resolved and refused now if it cannot hold a SQLite database. */
  storePath(key: string, given: string): Promise<string>;
}

/** The configuration each section of `S` reads. */
export type ConfigOfSections<S extends Readonly<Record<string, RuntimeConfigSection<unknown>>>> = {
  [K in keyof S]: S[K] extends RuntimeConfigSection<infer C> ? C : never;
};
