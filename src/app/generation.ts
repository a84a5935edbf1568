import { join } from "node:path";
import { pathToFileURL } from "node:url";
// Not capabilities/index.js: what serves the interfaces loads on the workers; main needs only these (a WAGI-only start skips ~60 ms of modules).
import { HOST_CALLS } from "../capabilities/host-calls.js";
import { MAX_SELF_DEPTH } from "../capabilities/outbound-http/self-requests.js";
import { moduleUrl } from "../code-location.js";
import { keepTurbofanOffBigGlueInit, mayHoldBigGlueInit } from "../engine/component/turbofan-filter.js";
import type { InlineProgram } from "../engine/inline/inline-program.js";
import { InlineRunner, type InlineGuest } from "../engine/inline/inline-runner.js";
import type { GuestSpec } from "../engine/worker/protocol.js";
import { WorkerPool } from "../engine/worker/worker-pool.js";
import { WispError } from "../errors/wisp-error.js";
import { ComponentLog } from "../observability/component-log.js";
import type { GuestExecutor, PrepareGuest } from "../triggers/guest-executor.js";
import type { GuestUse } from "../triggers/trigger.js";
import { openComponentSource } from "./component-source.js";
import type { PlannedComponent, ServePlan } from "./serve-plan.js";
import { stageFiles } from "./stage-files.js";

/**
 * One version of the app, whatever its trigger: its guests prepared, the worker pool that runs
 * them, and the inline runner in front of it. A reload starts a new one and closes the old one
 * once its jobs have finished (see serveApp).
 */
export interface Generation {
  /** Counts reloads; each generation stages its files in its own folder, `.wisp/files/<n>/`. */
  n: number;
  appDir: string;
  pool: WorkerPool;
  /** Wraps `pool`: what the trigger submits jobs to. */
  runner: InlineRunner;
  /**
   * Starts the workers (once; later calls return the same promise), settled when every worker has
   * loaded the guests. Done before the generation serves, unless all its guests run inline
   * (`poolDeferred`): then on the first job for a worker, or after the host has served a while.
   */
  startPool(): Promise<void>;
  /** All its guests run inline, so its threads boot late (see startPool). */
  poolDeferred: boolean;
}

/** What a generation prepares from the plan: the app's folder and its components. */
export type GenerationPlan = Pick<ServePlan, "appDir" | "components">;

export interface GenerationOptions {
  /** Worker threads (default: one per core, at least 2). */
  workers?: number;
  /** Run small guests' jobs on the server's own thread when they can (default true; see InlineRunner). */
  inline?: boolean;
}

/** Where a generation stages its components' files. */
export function filesDir(appDir: string, n: number): string {
  return join(appDir, ".wisp", "files", String(n));
}

/**
 * Prepares a generation: every guest its trigger uses, once (read, verify, compile, stage its
 * files, see prepareGuest), and the worker pool that runs them, started (or deferred, see
 * Generation.startPool). Anything wrong with a component fails here, naming it; the pool is closed then.
 */
export async function startGeneration(
  plan: GenerationPlan,
  uses: readonly GuestUse[],
  n: number,
  options: GenerationOptions,
  { first = false }: { first?: boolean } = {},
): Promise<Generation> {
  const stateDir = join(plan.appDir, ".wisp");
  const components = new Map(plan.components.map((c) => [c.id, c]));
  const used = [...new Set(uses.map((use) => use.executor))];
  // Their preparations load while main opens the sources and stages the files.
  const preparations = new Map(
    used.map((executor) => {
      const loading = executor.loadPreparation();
      loading.catch(() => undefined); // awaited by prepareAll, unless a component fails first
      return [executor, loading];
    }),
  );

  const inline = new Map<string, InlineProgram>();
  let bigGlue = false;
  const prepareAll = async (): Promise<GuestSpec[]> => {
    const guests: GuestSpec[] = [];
    for (const { componentId: id, executor, configs } of uses) {
      const component = components.get(id);
      if (!component)
        throw new WispError(
          "MANIFEST_INVALID",
          `the app's trigger names component ${id}, which the app does not define`,
          `add [component.${id}]`,
        );
      const prepared = await prepareGuest(
        component,
        executor,
        await preparations.get(executor)!,
        configs,
        plan.appDir,
        stateDir,
        join(filesDir(plan.appDir, n), id),
        options.inline ?? true,
        // Called after an await, so `pool` (made below) exists by then.
        (glueFile) => pool.preload(pathToFileURL(glueFile).href),
      );
      guests.push(prepared.spec);
      if (prepared.glueFile && (await mayHoldBigGlueInit(prepared.glueFile))) bigGlue = true;
      if (prepared.inline) inline.set(id, prepared.inline);
    }
    return guests;
  };
  // The worker threads boot while main prepares (reads, compiles) the components (unless deferred, below).
  const guests = prepareAll();
  const executorUrls = used.map((executor) => moduleUrl(executor.workerModule).href);
  // As many threads may park as one chain of self requests at the depth limit needs (see WorkerPool).
  const pool = new WorkerPool({
    guests,
    logDir: join(stateDir, "logs"),
    size: options.workers,
    hostCalls: HOST_CALLS,
    preload: executorUrls,
    maxParked: MAX_SELF_DEPTH,
  });
  // The guests of an app whose executors all run inline first (WAGI) usually all run inline: its
  // threads then boot after it has served a while (see startPool), or for the first job that needs one,
  // not while main prepares the guests or serves its first requests (on 2 cores they slowed each other down).
  const deferPool =
    first && (options.inline ?? true) && used.length > 0 && used.every((executor) => executor.inlineFirst);
  let started: Promise<void> | undefined;
  const startPool = () => {
    if (!started) {
      // The filter once the threads have booted: a V8 flag set before slows every thread's start (see turbofan-filter).
      started = pool.start().then(() => {
        if (bigGlue) keepTurbofanOffBigGlueInit();
      });
      started.catch(() => undefined); // observed below, or by the host once it serves
    }
    return started;
  };
  if (!deferPool) void startPool();
  try {
    await guests;
    // The first generation serves once main has prepared the guests, without waiting for the
    // threads to load them (for a WAGI app ~150 ms of a start; for the http-ts hello the glue's
    // import on each thread, then listening): jobs for a worker wait in the pool's queue meanwhile,
    // and threads that cannot load the guests end the server (see serveApp). Main checked the guests
    // already (translated, linked, compiled), so that is rare. A reload waits: if its workers
    // fail, the old app stays.
    if (!first) await startPool();
  } catch (error) {
    await started?.catch(() => undefined);
    await pool.close(0);
    // A component that cannot be prepared is the error to report, not the pool's.
    await guests;
    throw error;
  }

  const logDir = join(stateDir, "logs");
  const inlineGuests = new Map<string, InlineGuest>();
  for (const guest of await guests) {
    const program = inline.get(guest.guestId);
    if (program)
      inlineGuests.set(guest.guestId, {
        program,
        log: new ComponentLog(guest.guestId, logDir, undefined, guest.secrets),
      });
  }
  // A deferred pool starts for the first job that needs a worker (a long or blocking guest).
  const jobs: Pick<WorkerPool, "submit" | "cancel"> = !deferPool
    ? pool
    : {
        submit(job) {
          void startPool();
          pool.submit(job);
        },
        cancel: (job) => pool.cancel(job),
      };
  return {
    n,
    appDir: plan.appDir,
    pool,
    runner: new InlineRunner(jobs, inlineGuests),
    startPool,
    poolDeferred: deferPool,
  };
}

/** The parts every executor shares (the source opened, the files staged), then the executor's own. */
async function prepareGuest(
  component: PlannedComponent,
  executor: GuestExecutor,
  prepare: PrepareGuest<unknown>,
  configs: readonly unknown[],
  appDir: string,
  stateDir: string,
  stageDir: string,
  inline: boolean,
  onGlue: (glueFile: string) => void,
): Promise<{ spec: GuestSpec; inline?: InlineProgram; glueFile?: string }> {
  const source = await openComponentSource(component.id, component.source, join(stateDir, "cache"));
  const file = component.source.kind === "path" ? component.source.path : component.source.url;
  const filesRoot = await stageFiles(
    component.id,
    appDir,
    component.files,
    component.excludeFiles,
    stageDir,
    (warning) => process.stderr.write(`warning: ${warning}\n`),
  );
  const prepared = await prepare(
    {
      id: component.id,
      file,
      source,
      filesRoot,
      environment: component.environment,
      maxMemoryBytes: component.limits.maxMemoryBytes,
      grants: component.grants,
    },
    configs,
    { cacheDir: join(stateDir, "cache"), inline, onGlue },
  );
  return {
    spec: {
      guestId: component.id,
      executorUrl: moduleUrl(executor.workerModule).href,
      spec: prepared.spec,
      secrets: component.secrets,
      concurrent: prepared.concurrent,
    },
    inline: prepared.inline,
    glueFile: prepared.glueFile,
  };
}
