import { rm } from "node:fs/promises";
import { join } from "node:path";
// Not capabilities/index.js (see generation.ts).
import { closeOutboundClients } from "../capabilities/host-calls.js";
import type { TriggerGeneration } from "../triggers/trigger.js";
import { httpTrigger } from "../triggers/http/http-trigger.js";
import type { HttpGeneration, RunningHttpTrigger } from "../triggers/http/http-runtime.js";
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

/** A generation, with its trigger's part (for HTTP: its routes). */
type Served<T extends TriggerGeneration> = Generation & { trigger: T };

/**
 * `wisp up`: the app host. It owns what every trigger shares: the generations (each prepares every
 * guest once and starts its worker pool, see startGeneration), reloads (a new generation is
 * prepared, the trigger swaps to it, the old one closes once its jobs are done) and closing. The
 * trigger it serves is HTTP's (see triggers/http): it plans each generation's routes, listens, and
 * turns requests into jobs. Anything wrong fails here, before the first request, naming what.
 */
export async function serveApp(plan: ServePlan, options: ServeOptions): Promise<RunningApp> {
  const log = options.log ?? ((line: string) => process.stdout.write(line + "\n"));
  const loading = httpTrigger.load();
  loading.catch(() => undefined); // awaited below
  // Files staged by an earlier run are stale.
  await rm(join(plan.appDir, ".wisp", "files"), { recursive: true, force: true });
  const trigger = await loading;
  const generation = async (next: ServePlan, n: number, first = false): Promise<Served<HttpGeneration>> => {
    // The trigger's checks (its routes) come before any guest is prepared.
    const planned = trigger.generation(next);
    return { ...(await startGeneration(next, planned.guests, n, options, { first })), trigger: planned };
  };
  let current = await generation(plan, 0, true);
  let running: RunningHttpTrigger;
  try {
    running = await trigger.start(current.trigger, {
      jobs: current.runner,
      host: options.host,
      port: options.port,
      log,
      logFailure: (componentId, message) =>
        process.stderr.write(indent(`[${componentId}] request failed: ${message}`) + "\n"),
    });
  } catch (error) {
    await current.pool.close(0);
    throw error;
  }
  const { url } = running;
  // One write, so whoever reads the output sees the address and the routes together.
  log(`Serving ${url}\n` + running.describe(current.trigger));
  // Served before its workers had loaded: a worker that cannot load the guests ends the server.
  const poolStart = setTimeout(
    () =>
      void current.startPool().catch(async (error: Error) => {
        process.stderr.write(`wisp: the worker threads could not load the components: ${error.message}\n`);
        await running.close();
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
      running.swap(fresh.trigger, fresh.runner);
      log(`Reloaded ${next.appName}\n` + running.describe(fresh.trigger));
      void old.pool.close(SWAP_GRACE_MS).then(() => {
        old.runner.close();
        return rm(filesDir(old.appDir, old.n), { recursive: true, force: true });
      });
    },
    async close(graceMs = 10_000) {
      clearTimeout(poolStart);
      await running.close(graceMs);
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
