import type { JobHandle } from "../engine/worker/job-handle.js";
import type { GuestExecutor } from "./guest-executor.js";

/**
 * A trigger turns events into jobs for an app's guests: the HTTP trigger routes requests, the
 * command trigger runs a WASI command once with the process's stdio (`wisp run`). One object per
 * trigger, listed in registry.ts. The object is cheap to load (the manifest reads the registry for
 * its trigger types); `load` brings what runs it.
 */
export interface Trigger<Runtime = unknown> {
  /** Its name: a manifest's `[[trigger.<type>]]` tables are its, if it runs them (`fromManifest`). */
  readonly type: string;
  /** Whether it runs a manifest's `[[trigger.<type>]]` tables; false for one started from the command line only. */
  readonly fromManifest: boolean;
  load(): Promise<Runtime>;
}

/**
 * What runs a trigger. Lifecycle, driven by its host (serve-app for a served app, `wisp run` for a
 * command), which owns the guests, the worker pool and reloads:
 * - `generation(plan)` for every start and reload, before any guest is prepared: checks the
 *   plan's trigger parts (a bad route fails here) and says which guests it needs, with what;
 * - `start` once, with the first generation, once its guests are prepared, and what the host
 *   gives it (`Options`: for HTTP, the address, where the first generation's jobs go, the log);
 * - `swap` on each reload (see RunningTrigger);
 * - `close` once.
 */
export interface TriggerRuntime<
  Plan,
  Generation extends TriggerGeneration,
  Options,
  Running extends RunningTrigger<Generation>,
> {
  generation(plan: Plan): Generation;
  start(generation: Generation, options: Options): Promise<Running>;
}

/** One version of an app as its trigger serves it. */
export interface TriggerGeneration {
  /** The guests its events run, each with its executor; the host prepares them. */
  guests: GuestUse[];
}

/** A component a trigger runs, the executor that runs it, and the executor's settings of each use (an HTTP route's, say). */
export interface GuestUse<Config = unknown> {
  componentId: string;
  executor: GuestExecutor<string, Config>;
  configs: Config[];
}

/** Where a trigger's jobs go: a generation's worker pool (through its inline runner). */
export type JobQueue = { submit(job: JobHandle): void; cancel(job: JobHandle): void };

export interface RunningTrigger<Generation> {
  /**
   * New events go to `generation` and `jobs` from now on; events in flight finish where they
   * started. Only a trigger that runs until closed (HTTP) has it; one that ends by itself (a command) does not.
   */
  swap?(generation: Generation, jobs: JobQueue): void;
  /** Stops taking events; resolves once those in flight have finished, or after `graceMs`. */
  close(graceMs: number): Promise<void>;
}
