import { rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { WispError } from "../errors/wisp-error.js";
import { binaryKind } from "../engine/wasm/binary-reader.js";
import type { GuestSpec } from "../engine/worker/protocol.js";
import { WorkerPool } from "../engine/worker/worker-pool.js";
import { InlineRunner, type InlineGuest } from "../engine/inline/inline-runner.js";
import type { InlineProgram } from "../engine/inline/inline-program.js";
import { ComponentLog } from "../observability/component-log.js";
import { loadInlineWagi } from "../triggers/http/executors/wagi/wagi-inline.js";
import { loadInlineWasiHttp } from "../triggers/http/executors/wasi-http/wasi-http-inline.js";
import { prepareComponent } from "../engine/component/index.js";
import { keepTurbofanOffBigGlueInit, mayHoldBigGlueInit } from "../engine/component/turbofan-filter.js";
import { SERVED_INTERFACES } from "../engine/wasi-p2/index.js";
// Not capabilities/index.js: what serves the interfaces loads on the workers; main needs only these (a WAGI-only start skips ~60 ms of modules).
import { HOST_CALLS, closeOutboundClients } from "../capabilities/host-calls.js";
import { CAPABILITY_INTERFACES } from "../capabilities/interfaces.js";
import { MAX_SELF_DEPTH } from "../capabilities/outbound-http/self-requests.js";
import { HttpTriggerServer } from "../triggers/http/http-server.js";
import type { ComponentTarget, HttpTarget } from "../triggers/http/http-target.js";
import { RouteTable } from "../triggers/http/routing/index.js";
import { routeListing } from "../triggers/http/route-listing.js";
import { wagiPayload } from "../triggers/http/executors/wagi/wagi-payload.js";
import { wasiHttpPayload } from "../triggers/http/executors/wasi-http/wasi-http-payload.js";
import type { WagiSpec } from "../triggers/http/executors/wagi/wagi-program.js";
import type { WasiHttpSpec } from "../triggers/http/executors/wasi-http/wasi-http-program.js";
import { compileCoreModule } from "./compile-module.js";
import { openComponentSource } from "./component-source.js";
import type { PlannedComponent, ServePlan } from "./serve-plan.js";
import { SelfRequestDepth } from "./self-request-depth.js";
import { stageFiles } from "./stage-files.js";
import { entryUrl } from "../code-location.js";

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

const WAGI_EXECUTOR = entryUrl("wagiProgram").href;
const WASI_HTTP_EXECUTOR = entryUrl("wasiHttpProgram").href;

/** One version of the app: its workers and its routes. */
interface Generation {
  /** Counts reloads; each generation stages its files in its own folder, `.wisp/files/<n>/`. */
  n: number;
  plan: ServePlan;
  pool: WorkerPool;
  /** Wraps `pool`: what the server submits jobs to. */
  runner: InlineRunner;
  router: RouteTable;
  /**
   * Starts the workers (once; later calls return the same promise), settled when every worker has
   * loaded the guests. Done before the generation serves, unless all its guests run inline
   * (`poolDeferred`): then on the first job for a worker, or DEFERRED_POOL_START_MS after it serves.
   */
  startPool(): Promise<void>;
  /** All its guests run inline, so its threads boot late (see startPool). */
  poolDeferred: boolean;
}

/**
 * `wisp up`: prepares every routed component once (read, verify, compile, stage its files), starts
 * the worker pool and the HTTP server, and prints the routes. Anything wrong with a component
 * fails here, before the first request, naming the component.
 */
export async function serveApp(plan: ServePlan, options: ServeOptions): Promise<RunningApp> {
  const log = options.log ?? ((line: string) => process.stdout.write(line + "\n"));
  // Files staged by an earlier run are stale.
  await rm(join(plan.appDir, ".wisp", "files"), { recursive: true, force: true });
  let current = await startGeneration(plan, 0, options, log, { first: true });
  const selfDepth = new SelfRequestDepth();
  const serving = (generation: Generation) => servingApp(generation, selfDepth);
  const server = new HttpTriggerServer({
    ...serving(current),
    payloads: { wagi: selfDepth.payloads(wagiPayload), "wasi-http": selfDepth.payloads(wasiHttpPayload) },
    logFailure: (componentId, message) => process.stderr.write(indent(`[${componentId}] request failed: ${message}`) + "\n"),
  });
  let address;
  try {
    address = await server.listen(options.host, options.port);
  } catch (error) {
    await current.pool.close(0);
    throw error;
  }
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  // One write, so whoever reads the output sees the address and the routes together.
  log(`Serving ${url}\n` + listing(url, plan));
  // Served before its workers had loaded: a worker that cannot load the guests ends the server.
  const poolStart = setTimeout(() => void current.startPool().catch(async (error: Error) => {
    process.stderr.write(`wisp: the worker threads could not load the components: ${error.message}\n`);
    await server.close();
    process.exit(1);
  }), current.poolDeferred ? (options.deferredPoolStartMs ?? DEFERRED_POOL_START_MS) : 0);
  return {
    url,
    async reload(next: ServePlan) {
      const fresh = await startGeneration(next, current.n + 1, options, log);
      const old = current;
      current = fresh;
      server.swap(serving(fresh));
      log(`Reloaded ${next.appName}\n` + listing(url, next));
      void old.pool.close(SWAP_GRACE_MS).then(() => {
        old.runner.close();
        return rm(filesDir(old), { recursive: true, force: true });
      });
    },
    async close(graceMs = 10_000) {
      clearTimeout(poolStart);
      const closed = server.close();
      await Promise.race([closed, new Promise((r) => setTimeout(r, graceMs).unref())]);
      await current.pool.close(graceMs);
      current.runner.close();
      // Outbound clients (Redis...) hold sockets open; close them so the process can exit.
      await closeOutboundClients();
    },
  };
}

/** Every interface a component may import: WASI's and the capabilities'. */
const COMPONENT_IMPORTS: ReadonlySet<string> = new Set([...SERVED_INTERFACES, ...CAPABILITY_INTERFACES]);

/** How long requests that started before a reload may run on the old workers. */
const SWAP_GRACE_MS = 30_000;
/**
 * How long an app whose guests all run inline serves before its worker threads boot, unless a job
 * needs one sooner. Each thread's boot is ~150 ms of CPU: on 2 cores, booting them as it served
 * made a WAGI hello's cold start (to its first answer) ~15-30 ms slower in paired runs.
 */
const DEFERRED_POOL_START_MS = 500;

function servingApp(generation: Generation, selfDepth: SelfRequestDepth) {
  const { plan } = generation;
  return { router: generation.router, pool: selfDepth.jobs(generation.runner), appInfo: { name: plan.appName, ...(plan.appVersion ? { version: plan.appVersion } : {}) } };
}

function listing(url: string, plan: ServePlan): string {
  return routeListing(url, plan.routes.map((r) => ({ route: r.route, name: r.kind === "component" ? r.componentId : "static response" })));
}

function filesDir(generation: { n: number; plan: ServePlan }): string {
  return join(generation.plan.appDir, ".wisp", "files", String(generation.n));
}

async function startGeneration(
  plan: ServePlan,
  n: number,
  options: ServeOptions,
  log: (line: string) => void,
  { first = false }: { first?: boolean } = {},
): Promise<Generation> {
  const stateDir = join(plan.appDir, ".wisp");
  const components = new Map(plan.components.map((c) => [c.id, c]));
  const executors = new Map<string, "wagi" | "wasi-http">();
  const entrypoints = new Map<string, Set<string>>();
  for (const route of plan.routes) {
    if (route.kind !== "component") continue;
    if (route.executor === "wagi") entrypoints.set(route.componentId, (entrypoints.get(route.componentId) ?? new Set()).add(route.wagiEntrypoint));
    const previous = executors.get(route.componentId);
    if (previous && previous !== route.executor) {
      throw new WispError("MANIFEST_INVALID", `component ${route.componentId} is used with both the ${previous} and ${route.executor} executors`,
        "give each executor its own component");
    }
    executors.set(route.componentId, route.executor);
  }

  const entries = plan.routes.map((route) => ({ route: route.route, target: toTarget(route, components) }));
  const router = RouteTable.build(entries);

  const inline = new Map<string, InlineProgram>();
  let bigGlue = false;
  const prepareAll = async (): Promise<GuestSpec[]> => {
    const guests: GuestSpec[] = [];
    for (const [id, executor] of executors) {
      const component = components.get(id);
      if (!component) throw new WispError("MANIFEST_INVALID", `a route names component ${id}, which the app does not define`, `add [component.${id}]`);
      const prepared = await prepareGuest(component, executor, [...(entrypoints.get(id) ?? [])], plan.appDir, stateDir, join(filesDir({ n, plan }), id), options.inline ?? true,
        // Called after an await, so `pool` (made below) exists by then.
        (glueFile) => pool.preload(pathToFileURL(glueFile).href));
      guests.push(prepared.spec);
      if (prepared.glueFile && (await mayHoldBigGlueInit(prepared.glueFile))) bigGlue = true;
      if (prepared.inline) inline.set(id, prepared.inline);
    }
    return guests;
  };
  // The worker threads boot while main prepares (reads, compiles) the components (unless deferred, below).
  const guests = prepareAll();
  const executorUrls = [...new Set([...executors.values()].map((e) => (e === "wagi" ? WAGI_EXECUTOR : WASI_HTTP_EXECUTOR)))];
  // As many threads may park as one chain of self requests at the depth limit needs (see WorkerPool).
  const pool = new WorkerPool({
    guests, logDir: join(stateDir, "logs"), size: options.workers, hostCalls: HOST_CALLS, preload: executorUrls, maxParked: MAX_SELF_DEPTH,
  });
  // A WAGI-only app's guests usually all run inline: its threads then boot after it has served a
  // while (serveApp), or for the first job that needs one, not while main prepares the guests or
  // serves its first requests (on 2 cores they slowed each other down).
  const deferPool = first && (options.inline ?? true) && executors.size > 0 && [...executors.values()].every((e) => e === "wagi");
  let started: Promise<void> | undefined;
  const startPool = () => {
    if (!started) {
      // The filter once the threads have booted: a V8 flag set before slows every thread's start (see turbofan-filter).
      started = pool.start().then(() => {
        if (bigGlue) keepTurbofanOffBigGlueInit();
      });
      started.catch(() => undefined); // observed below, or by serveApp once it serves
    }
    return started;
  };
  if (!deferPool) void startPool();
  try {
    await guests;
    // The first generation serves once main has prepared the guests, without waiting for the
    // threads to load them (for a WAGI app ~150 ms of a start; for the http-ts hello the glue's
    // import on each thread, then listening): jobs for a worker wait in the pool's queue meanwhile,
    // and threads that cannot load the guests end the server (serveApp). Main checked the guests
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

  for (const duplicate of router.duplicates) {
    const what = duplicate.target.kind === "component" ? `component ${duplicate.target.componentId}` : "a static response";
    log(`warning: route ${duplicate.route} (${what}) is defined again later; as in Spin, the later definition is used and this one never is`);
  }
  const logDir = join(stateDir, "logs");
  const inlineGuests = new Map<string, InlineGuest>();
  for (const guest of await guests) {
    const program = inline.get(guest.guestId);
    if (program) inlineGuests.set(guest.guestId, { program, log: new ComponentLog(guest.guestId, logDir, undefined, guest.secrets) });
  }
  // A deferred pool starts for the first job that needs a worker (a long or blocking guest).
  const jobs: Pick<WorkerPool, "submit" | "cancel"> = !deferPool ? pool : {
    submit(job) {
      void startPool();
      pool.submit(job);
    },
    cancel: (job) => pool.cancel(job),
  };
  return { n, plan, pool, runner: new InlineRunner(jobs, inlineGuests), router, startPool, poolDeferred: deferPool };
}

async function prepareGuest(
  component: PlannedComponent,
  executor: "wagi" | "wasi-http",
  entrypoints: string[],
  appDir: string,
  stateDir: string,
  stageDir: string,
  inline: boolean,
  onGlue: (glueFile: string) => void,
): Promise<{ spec: GuestSpec; inline?: InlineProgram; glueFile?: string }> {
  const source = await openComponentSource(component.id, component.source, join(stateDir, "cache"));
  const file = component.source.kind === "path" ? component.source.path : component.source.url;
  const filesRoot = await stageFiles(component.id, appDir, component.files, component.excludeFiles, stageDir,
    (warning) => process.stderr.write(`warning: ${warning}\n`));
  if (executor === "wagi") {
    const bytes = await source.read();
    const spec: WagiSpec = { compiled: await compileCoreModule(component.id, file, bytes, entrypoints), maxMemoryBytes: component.limits.maxMemoryBytes, filesRoot };
    return {
      spec: { guestId: component.id, executorUrl: WAGI_EXECUTOR, spec, secrets: component.secrets },
      inline: inline ? await loadInlineWagi({ bytes, digest: source.digest }, spec, join(stateDir, "cache", "inline-wagi")) : undefined,
    };
  }
  if (binaryKind(source.head) === "module") {
    throw new WispError("COMPONENT_INVALID_WASM", `component ${component.id}: ${file} is a WASI preview1 module, not a wasi:http component`,
      'serve it with the WAGI executor: executor = { type = "wagi" } on its [[trigger.http]]');
  }
  const prepared = await prepareComponent(source, join(stateDir, "cache", "components"), COMPONENT_IMPORTS, { onGlue }).catch((error: unknown) => {
    if (error instanceof WispError) throw new WispError(error.code, `component ${component.id} (${file}): ${error.message}`, error.hint);
    throw error;
  });
  const spec: WasiHttpSpec = {
    prepared, maxMemoryBytes: component.limits.maxMemoryBytes, filesRoot, environment: component.environment,
    grants: component.grants,
  };
  return {
    spec: { guestId: component.id, executorUrl: WASI_HTTP_EXECUTOR, spec, secrets: component.secrets },
    inline: inline ? await loadInlineWasiHttp(spec) : undefined,
    glueFile: prepared.glueFile,
  };
}

function toTarget(route: ServePlan["routes"][number], components: Map<string, PlannedComponent>): HttpTarget {
  if (route.kind === "static") return { kind: "static", status: route.status, headers: route.headers, body: route.body };
  const component = components.get(route.componentId)!;
  const target: ComponentTarget = {
    kind: "component",
    componentId: route.componentId,
    executor: route.executor,
    wagiArgv: route.wagiArgv,
    wagiEntrypoint: route.wagiEntrypoint,
    environment: component.environment,
    timeoutMs: component.limits.timeoutMs,
    maxRequestBodyBytes: component.limits.maxRequestBodyBytes,
  };
  return target;
}

function indent(text: string): string {
  return text.replaceAll("\n", "\n    ");
}
