import type { JobHandle } from "../engine/worker/job-handle.js";
import type { AppManifest, TriggerTable } from "../manifest/index.js";
import type { GuestExecutor } from "./guest-executor.js";

/**
 * A trigger turns events into jobs for an app's guests: the HTTP trigger routes requests, the
 * command trigger runs a WASI command once with the process's stdio (`wisp run`). One object per
 * trigger, listed in registry.ts. The object is cheap to load (the manifest reads the registry for
 * its trigger types); `load` brings what runs it.
 */
export interface Trigger<Runtime = unknown> {
  /** Its name: a manifest's `[[trigger.<type>]]` tables are its, if it runs them (ServedTrigger). */
  readonly type: string;
  /** Whether it runs a manifest's `[[trigger.<type>]]` tables (a ServedTrigger); false for one started from the command line only. */
  readonly fromManifest: boolean;
  load(): Promise<Runtime>;
}

/**
 * A trigger that serves an app's `[[trigger.<type>]]` tables until the app host closes it (HTTP;
 * Redis, MQTT and cron next). The host (app/serve-app.ts) drives every one the same way:
 * - `planFromManifest` when a manifest is planned: the trigger's part of the plan (`Plan`), or
 *   undefined when the manifest has none of its tables; `componentsOf` the components it names;
 * - `generation(app, plan)` for every start and reload, before any guest is prepared: checks its
 *   part (a bad route fails here) and says which guests it needs, with what;
 * - `start` once its first generation's guests are prepared (see TriggerHost);
 * - `swap` on each reload, `close` once (see RunningServedTrigger).
 * A reload that drops a trigger's tables closes it; one that adds them starts it.
 */
export interface ServedTrigger<Plan = unknown, Runtime = ServedTriggerRuntime<Plan>> extends Trigger<Runtime> {
  readonly fromManifest: true;
  /** Its `[[trigger.<type>]]` tables, for the manifest to check as it loads (see TriggerTable). */
  readonly manifestTable: TriggerTable;
  planFromManifest(manifest: AppManifest): Plan | undefined;
  /** The components its part of a plan runs: those the app plans (and grants). */
  componentsOf(plan: Plan): string[];
}

/** What runs a served trigger (see ServedTrigger). */
export interface ServedTriggerRuntime<
  Plan,
  Generation extends TriggerGeneration = TriggerGeneration,
  Running extends RunningServedTrigger<Generation> = RunningServedTrigger<Generation>,
> {
  generation(app: TriggerApp, plan: Plan): Generation;
  start(generation: Generation, host: TriggerHost): Promise<Running>;
}

/** What a trigger sees of the app it serves, for each generation. */
export interface TriggerApp {
  appName: string;
  appVersion?: string;
  components: ReadonlyArray<TriggerComponent>;
}

/** What a trigger may need of a component of the app. */
export interface TriggerComponent {
  id: string;
  /** The manifest's `environment` (WAGI merges it into the CGI environment). */
  environment: Array<[string, string]>;
  limits: { timeoutMs: number; maxRequestBodyBytes: number };
}

/** What the app host gives a served trigger as it starts. */
export interface TriggerHost {
  /** Where the first generation's jobs go (later ones come with `swap`). */
  jobs: JobQueue;
  /** Where a trigger that listens for connections listens (HTTP). */
  listen: { host: string; port: number };
  /** The terminal's log: what it serves, warnings about a generation as it starts serving. */
  log: (line: string) => void;
  /** Where failures of a component are reported (`[component] request failed: ...`). */
  logFailure: (componentId: string, message: string) => void;
}

/** A served trigger, running. */
export interface RunningServedTrigger<Generation> {
  /** Where it can be reached, when it listens: the HTTP trigger's `http://host:port`. */
  readonly url?: string;
  /** New events go to `generation` and `jobs` from now on; events in flight finish where they started. */
  swap(generation: Generation, jobs: JobQueue): void;
  /** What it serves, for the terminal (the HTTP trigger's routes with their URLs). */
  describe(generation: Generation): string;
  /** Stops taking events; resolves once those in flight have finished, or after `graceMs` (without it: all of them). */
  close(graceMs?: number): Promise<void>;
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
