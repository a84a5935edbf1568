import type { ComponentGrants } from "../../../capabilities/index.js";
import type { InlineProgram } from "../../../engine/inline/inline-program.js";
import type { RoutedRequest } from "../request-info.js";

/**
 * An HTTP executor: how a routed request runs a guest (WAGI runs a WASI module as a CGI script,
 * wasi:http calls a component's `incoming-handler`). One object per executor, listed in
 * registry.ts; see README.md in this folder for adding one.
 *
 * Everything here is cheap to load: the manifest and `wisp up`'s early checks read `manifest` and
 * `kind`, so what loads the engine (`loadPreparation`, the worker module) loads only when used.
 */
export interface HttpExecutor<Kind extends string = string, Config = unknown> {
  /** The executor's name in plans, logs and errors; also the key of its routes' config. */
  readonly kind: Kind;
  /** What it runs: a core module or a component (`wisp up --from` picks by this; see executorForBinary). */
  readonly runs: "module" | "component";
  /** Its `executor = { type = ... }` table in a `[[trigger.http]]`. */
  readonly manifest: ExecutorManifest<Config>;
  /** The config of a route with no manifest (`wisp up --from`). */
  readonly defaultConfig: Config;
  /**
   * Its guests usually run on the server's own thread (see InlineRunner): an app whose routes all
   * use such executors boots its worker threads late, and `wisp up` starts none early.
   */
  readonly inlineFirst: boolean;
  /**
   * The module a worker thread imports to load its guests (exports `load`, see engine/worker/job.ts),
   * as a path under the code root (see code-location.ts); the bundle keeps it as an entry.
   */
  readonly workerModule: string;
  /** Main thread, at start: loads what prepares a guest (the engine's modules; see above). */
  loadPreparation(): Promise<PrepareGuest<Config>>;
  /**
   * Main thread, per request: the job payload the worker's program receives with the request
   * (structured-cloneable). `config` is the route's.
   */
  payload(request: RoutedRequest, config: Config, component: { environment: Array<[string, string]> }): unknown;
}

/** An executor's manifest table: `executor = { type = "<one of types>", <option> = "..." }`. */
export interface ExecutorManifest<Config> {
  /** The `type` values that name it; the first is its own name, the others older aliases. */
  readonly types: readonly [string, ...string[]];
  /** For the manifest's hint: what it runs ("for WASI modules"). */
  readonly runs: string;
  /** Its other keys, each an optional string, with the default the manifest fills in (or none). */
  readonly options: Readonly<Record<string, { default?: string }>>;
  /** The route's config from the table's options (defaults filled in). */
  config(options: Readonly<Record<string, string | undefined>>): Config;
}

/** What the app gives an executor to prepare one guest, its source opened and its files staged. */
export interface GuestToPrepare {
  id: string;
  /** The source's path or URL, for messages. */
  file: string;
  source: { digest: string; head: Uint8Array; read(): Promise<Uint8Array<ArrayBuffer>> };
  /** The staged `files` tree; absent when none are granted. */
  filesRoot?: string;
  environment: Array<[string, string]>;
  maxMemoryBytes: number;
  grants: ComponentGrants;
}

export interface PrepareContext {
  /** Where prepared forms are cached (`.wisp/cache`). */
  cacheDir: string;
  /** Whether to also prepare it to run on the main thread (see InlineRunner). */
  inline: boolean;
  /** Called with a module the workers will import (a component's glue), so they can load it early. */
  onGlue(glueFile: string): void;
}

/** A guest ready to serve: what the workers load, and perhaps its main-thread form. */
export interface PreparedGuest {
  /** The worker's `load` receives it (structured-cloneable). */
  spec: unknown;
  inline?: InlineProgram;
  /** The component's glue module, when it has one (see turbofan-filter). */
  glueFile?: string;
}

/**
 * Prepares a guest once per start or reload: reads, checks and compiles it, with `configs` the
 * configs of the routes that use it. Throws a WispError naming the component for what is wrong.
 */
export type PrepareGuest<Config> = (guest: GuestToPrepare, configs: readonly Config[], context: PrepareContext) => Promise<PreparedGuest>;
