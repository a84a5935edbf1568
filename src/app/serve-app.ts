import { rm } from "node:fs/promises";
import { join } from "node:path";
// Not capabilities/index.js (see generation.ts).
import { closeOutboundClients } from "../capabilities/host-calls.js";
import { mergeGuestUses } from "../triggers/guest-uses.js";
import { plannedTriggers, type AnyServedTrigger } from "../triggers/registry.js";
import type { JobQueue, RunningServedTrigger, TriggerGeneration, TriggerHost } from "../triggers/trigger.js";
import { filesDir, startGeneration, type Generation } from "./generation.js";
import type { ServePlan } from "./serve-plan.js";

export interface ServeOptions {
  host: string;
  port: number;
  /** Worker threads (default: one per core, at least 2). */
  workers?: number;
  /** Run small guests' requests on the server's own thread when they can (default true; see InlineRunner). */
  inline?: boolean;
  /** When all guests run inline: how long the app serves before its worker threads boot, unless a job needs one sooner (default DEFERRED_POOL_START_MS). */
  deferredPoolStartMs?: number;
  log?: (line: string) => void;
}

export interface RunningApp {
  /** Where its HTTP trigger listens (`http://host:port`); empty when the app has none. */
  url: string;
  /**
   * Serves `plan` from now on, without restarting the server: the new components are prepared
   * and their workers started first (a failure leaves the running app as it was), then new
   * requests go to them while requests in flight finish on the old workers.
   */
  reload(plan: ServePlan): Promise<void>;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), stops the workers. */
  close(graceMs?: number): Promise<void>;
}

/** A generation: its guests prepared, and each trigger's part of it (for HTTP: its routes). */
type Served = Generation & { triggers: Map<AnyServedTrigger, TriggerGeneration> };
type Runtime = Awaited<ReturnType<AnyServedTrigger["load"]>>;
type Running = RunningServedTrigger<TriggerGeneration>;

/**
 * `wisp up`: the app host. It owns what every trigger shares: the generations (each prepares every
 * guest its triggers use once and starts its worker pool, see startGeneration), reloads (a new
 * generation is prepared, each trigger swaps to it, the old one closes once its jobs are done) and
 * closing. It serves every trigger the plan has a part for (see ServedTrigger; the HTTP trigger
 * listens, routes and turns requests into jobs). Anything wrong fails here, before the first event, naming what.
 */
export async function serveApp(plan: ServePlan, options: ServeOptions): Promise<RunningApp> {
  const log = options.log ?? ((line: string) => process.stdout.write(line + "\n"));
  const runtimes = new Map<AnyServedTrigger, Promise<Runtime>>();
  const runtimeOf = (trigger: AnyServedTrigger): Promise<Runtime> => {
    let loading = runtimes.get(trigger);
    if (!loading) {
      loading = trigger.load();
      loading.catch(() => undefined); // awaited below
      runtimes.set(trigger, loading);
    }
    return loading;
  };
  for (const { trigger } of plannedTriggers(plan.triggers)) void runtimeOf(trigger);
  // Files staged by an earlier run are stale.
  await rm(join(plan.appDir, ".wisp", "files"), { recursive: true, force: true });
  const generation = async (next: ServePlan, n: number, first = false): Promise<Served> => {
    // The triggers' checks (the HTTP routes) come before any guest is prepared.
    const triggers = new Map<AnyServedTrigger, TriggerGeneration>();
    for (const { trigger, plan: part } of plannedTriggers(next.triggers))
      triggers.set(trigger, (await runtimeOf(trigger)).generation(next, part));
    const guests = mergeGuestUses([...triggers.values()].flatMap((part) => part.guests));
    return { ...(await startGeneration(next, guests, n, options, { first })), triggers };
  };
  const host = (jobs: JobQueue): TriggerHost => ({
    jobs,
    listen: { host: options.host, port: options.port },
    log,
    logFailure: (componentId, message) =>
      process.stderr.write(indent(`[${componentId}] request failed: ${message}`) + "\n"),
  });

  let current = await generation(plan, 0, true);
  const running = new Map<AnyServedTrigger, Running>();
  /** Starts the triggers of `served` not running yet, closes those running that it has no part for. */
  const startAndStop = async (served: Served): Promise<void> => {
    for (const [trigger, part] of served.triggers)
      if (!running.has(trigger))
        running.set(trigger, await (await runtimeOf(trigger)).start(part, host(served.runner)));
    for (const [trigger, started] of running)
      if (!served.triggers.has(trigger)) {
        running.delete(trigger);
        await started.close(SWAP_GRACE_MS);
      }
  };
  const describe = (served: Served): string =>
    [...served.triggers].map(([trigger, part]) => running.get(trigger)!.describe(part)).join("\n");
  try {
    await startAndStop(current);
  } catch (error) {
    await Promise.all([...running.values()].map((started) => started.close(0)));
    await current.pool.close(0);
    throw error;
  }
  const url = [...running.values()].find((started) => started.url)?.url ?? "";
  // One write, so whoever reads the output sees the address and the routes together.
  log(`Serving ${url}\n` + describe(current));
  // Served before its workers had loaded: a worker that cannot load the guests ends the server.
  const poolStart = setTimeout(
    () =>
      void current.startPool().catch(async (error: Error) => {
        process.stderr.write(`wisp: the worker threads could not load the components: ${error.message}\n`);
        await Promise.all([...running.values()].map((started) => started.close()));
        process.exit(1);
      }),
    current.poolDeferred ? (options.deferredPoolStartMs ?? DEFERRED_POOL_START_MS) : 0,
  );
  return {
    url,
    async reload(next: ServePlan) {
      const fresh = await generation(next, current.n + 1);
      const old = current;
      current = fresh;
      for (const [trigger, part] of fresh.triggers) running.get(trigger)?.swap(part, fresh.runner);
      await startAndStop(fresh);
      log(`Reloaded ${next.appName}\n` + describe(fresh));
      void old.pool.close(SWAP_GRACE_MS).then(() => {
        old.runner.close();
        return rm(filesDir(old.appDir, old.n), { recursive: true, force: true });
      });
    },
    async close(graceMs = 10_000) {
      clearTimeout(poolStart);
      await Promise.all([...running.values()].map((started) => started.close(graceMs)));
      await current.pool.close(graceMs);
      current.runner.close();
      // Outbound clients (Redis...) hold sockets open; close them so the process can exit.
      await closeOutboundClients();
    },
  };
}

/** How long jobs that started before a reload may run on the old workers. */
const SWAP_GRACE_MS = 30_000;
/**
 * How long an app whose guests all run inline serves before its worker threads boot, unless a job
 * needs one sooner. Each thread's boot is ~150 ms of CPU: on 2 cores, booting them as it served
 * made a WAGI hello's cold start (to its first answer) ~15-30 ms slower in paired runs.
 */
const DEFERRED_POOL_START_MS = 500;

function indent(text: string): string {
  return text.replaceAll("\n", "\n    ");
}
