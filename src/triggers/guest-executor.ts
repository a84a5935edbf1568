import type { ComponentGrants } from "../capabilities/index.js";
import type { InlineProgram } from "../engine/inline/inline-program.js";

/**
 * What runs a trigger's guests, as the app host sees it whatever the trigger: the host prepares
 * each guest through it at start and reload, and the worker pool loads its worker module. The
 * HTTP trigger's executors (WAGI, wasi:http) add their manifest table and job payload (see
 * triggers/http/executors/).
 */
export interface GuestExecutor<Kind extends string = string, Config = unknown> {
  /** The executor's name in plans, logs and errors. */
  readonly kind: Kind;
  /**
   * Its guests usually run on the server's own thread (see InlineRunner): an app whose guests all
   * use such executors boots its worker threads late, and `wisp up` starts none early.
   */
  readonly inlineFirst: boolean;
  /**
   * The module a worker thread imports to load its guests (exports `load`, see engine/worker/job.ts),
   * as a path under the code root (see code-location.ts); the bundle keeps it as an entry.
   */
  readonly workerModule: string;
  /** Main thread, at start: loads what prepares a guest (the engine's modules, loaded on use). */
  loadPreparation(): Promise<PrepareGuest<Config>>;
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
  onGlue: (glueFile: string) => void;
}

/** A guest ready to serve: what the workers load, and perhaps its main-thread form. */
export interface PreparedGuest {
  /** The worker's `load` receives it (structured-cloneable). */
  spec: unknown;
  inline?: InlineProgram;
  /** The component's glue module, when it has one (see turbofan-filter). */
  glueFile?: string;
  /** Its program runs jobs concurrently (see GuestSpec.concurrent). */
  concurrent?: boolean;
}

/**
 * Prepares a guest once per start or reload: reads, checks and compiles it, with `configs` the
 * configs of the routes that use it. Throws a WispError naming the component for what is wrong.
 */
export type PrepareGuest<Config> = (
  guest: GuestToPrepare,
  configs: readonly Config[],
  context: PrepareContext,
) => Promise<PreparedGuest>;
