import type { GuestExecutor } from "../../guest-executor.js";
import type { RoutedRequest } from "../request-info.js";

/**
 * An HTTP executor: how a routed request runs a guest (WAGI runs a WASI module as a CGI script,
 * wasi:http calls a component's `incoming-handler`). One object per executor, listed in
 * registry.ts; see README.md in this folder for adding one.
 *
 * What every executor has, whatever its trigger (its preparation, its worker module), is in
 * GuestExecutor; this adds the HTTP trigger's parts. Everything here is cheap to load: the
 * manifest and `wisp up`'s early checks read `manifest` and `kind`, so what loads the engine
 * (`loadPreparation`, the worker module) loads only when used.
 */
export interface HttpExecutor<Kind extends string = string, Config = unknown> extends GuestExecutor<Kind, Config> {
  /** What it runs: a core module or a component (`wisp up --from` picks by this; see executorForBinary). */
  readonly runs: "module" | "component";
  /** Its `executor = { type = ... }` table in a `[[trigger.http]]`. */
  readonly manifest: ExecutorManifest<Config>;
  /** The config of a route with no manifest (`wisp up --from`). */
  readonly defaultConfig: Config;
  /**
   * Main thread, per request: the job payload the worker's program receives with the request
   * (structured-cloneable). `config` is the route's.
   */
  payload(request: RoutedRequest, config: Config, component: { environment: Array<[string, string]> }): unknown;
}

/**
 * The `executor = { type = ... }` table of a `[[trigger.http]]` that names an executor. The HTTP
 * trigger's manifest table (http-manifest.ts) admits every registered executor's, checked as the
 * manifest loads, with the line.
 */
export interface ExecutorTable {
  /** The `type` values that name it; the first is its own name, the others older aliases. */
  readonly types: readonly [string, ...string[]];
  /** For the manifest's hint: what it runs ("for WASI modules"). */
  readonly runs: string;
  /** Its other keys, each an optional string, with the default filled in when absent (or none). */
  readonly options: Readonly<Record<string, { default?: string }>>;
}

/** An executor's manifest table, and what its options mean (which is the executor's). */
export interface ExecutorManifest<Config> extends ExecutorTable {
  /** The route's config from the table's options (defaults filled in). */
  config(options: Readonly<Record<string, string | undefined>>): Config;
}
