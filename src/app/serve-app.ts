import { join } from "node:path";
import { WispError } from "../errors/wisp-error.js";
import { binaryKind } from "../engine/wasm/binary-reader.js";
import type { GuestSpec } from "../engine/worker/protocol.js";
import { WorkerPool } from "../engine/worker/worker-pool.js";
import { prepareComponent } from "../engine/component/index.js";
import { SERVED_INTERFACES } from "../engine/wasi-p2/index.js";
import { HttpTriggerServer } from "../triggers/http/http-server.js";
import type { ComponentTarget, HttpTarget } from "../triggers/http/http-target.js";
import { RouteTable } from "../triggers/http/routing/index.js";
import { routeListing } from "../triggers/http/route-listing.js";
import { wagiPayload } from "../triggers/http/executors/wagi/wagi-payload.js";
import { wasiHttpPayload } from "../triggers/http/executors/wasi-http/wasi-http-payload.js";
import type { WagiSpec } from "../triggers/http/executors/wagi/wagi-program.js";
import type { WasiHttpSpec } from "../triggers/http/executors/wasi-http/wasi-http-program.js";
import { compileCoreModule } from "./compile-module.js";
import { readComponentSource } from "./component-source.js";
import type { PlannedComponent, ServePlan } from "./serve-plan.js";
import { stageFiles } from "./stage-files.js";

export interface ServeOptions {
  host: string;
  port: number;
  /** Worker threads (default: one per core, at least 2). */
  workers?: number;
  log?: (line: string) => void;
}

export interface RunningApp {
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), stops the workers. */
  close(graceMs?: number): Promise<void>;
}

const WAGI_EXECUTOR = new URL("../triggers/http/executors/wagi/wagi-program.js", import.meta.url).href;
const WASI_HTTP_EXECUTOR = new URL("../triggers/http/executors/wasi-http/wasi-http-program.js", import.meta.url).href;

/**
 * `wisp up`: prepares every routed component once (read, verify, compile, stage its files), starts
 * the worker pool and the HTTP server, and prints the routes. Anything wrong with a component
 * fails here, before the first request, naming the component.
 */
export async function serveApp(plan: ServePlan, options: ServeOptions): Promise<RunningApp> {
  const log = options.log ?? ((line: string) => process.stdout.write(line + "\n"));
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

  const guests: GuestSpec[] = [];
  for (const [id, executor] of executors) {
    const component = components.get(id);
    if (!component) throw new WispError("MANIFEST_INVALID", `a route names component ${id}, which the app does not define`, `add [component.${id}]`);
    guests.push(await prepareGuest(component, executor, [...(entrypoints.get(id) ?? [])], plan.appDir, stateDir));
  }

  const pool = new WorkerPool({ guests, logDir: join(stateDir, "logs"), size: options.workers });
  await pool.start();

  const entries = plan.routes.map((route) => ({ route: route.route, target: toTarget(route, components) }));
  const table = RouteTable.build(entries);
  for (const duplicate of table.duplicates) {
    const what = duplicate.target.kind === "component" ? `component ${duplicate.target.componentId}` : "a static response";
    log(`warning: route ${duplicate.route} (${what}) is defined again later; as in Spin, the later definition is used and this one never is`);
  }
  const server = new HttpTriggerServer({
    router: table,
    pool,
    payloads: { wagi: wagiPayload, "wasi-http": wasiHttpPayload },
    appInfo: { name: plan.appName, ...(plan.appVersion ? { version: plan.appVersion } : {}) },
    logFailure: (componentId, message) => process.stderr.write(indent(`[${componentId}] request failed: ${message}`) + "\n"),
  });
  let address;
  try {
    address = await server.listen(options.host, options.port);
  } catch (error) {
    await pool.close(0);
    throw error;
  }
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  // One write, so whoever reads the output sees the address and the routes together.
  log(`Serving ${url}\n` + routeListing(url, plan.routes.map((r) => ({ route: r.route, name: r.kind === "component" ? r.componentId : "static response" }))));
  return {
    url,
    async close(graceMs = 10_000) {
      const closed = server.close();
      await Promise.race([closed, new Promise((r) => setTimeout(r, graceMs).unref())]);
      await pool.close(graceMs);
    },
  };
}

async function prepareGuest(
  component: PlannedComponent,
  executor: "wagi" | "wasi-http",
  entrypoints: string[],
  appDir: string,
  stateDir: string,
): Promise<GuestSpec> {
  const bytes = await readComponentSource(component.id, component.source, join(stateDir, "cache"));
  const file = component.source.kind === "path" ? component.source.path : component.source.url;
  const filesRoot = await stageFiles(component.id, appDir, component.files, component.excludeFiles, join(stateDir, "files", component.id),
    (warning) => process.stderr.write(`warning: ${warning}\n`));
  if (executor === "wagi") {
    const spec: WagiSpec = { compiled: await compileCoreModule(component.id, file, bytes, entrypoints), maxMemoryBytes: component.limits.maxMemoryBytes, filesRoot };
    return { guestId: component.id, executorUrl: WAGI_EXECUTOR, spec };
  }
  if (binaryKind(bytes) === "module") {
    throw new WispError("COMPONENT_INVALID_WASM", `component ${component.id}: ${file} is a WASI preview1 module, not a wasi:http component`,
      'serve it with the WAGI executor: executor = { type = "wagi" } on its [[trigger.http]]');
  }
  const prepared = await prepareComponent(bytes, join(stateDir, "cache", "components"), SERVED_INTERFACES).catch((error: unknown) => {
    if (error instanceof WispError) throw new WispError(error.code, `component ${component.id} (${file}): ${error.message}`, error.hint);
    throw error;
  });
  const spec: WasiHttpSpec = { prepared, maxMemoryBytes: component.limits.maxMemoryBytes, filesRoot, environment: component.environment };
  return { guestId: component.id, executorUrl: WASI_HTTP_EXECUTOR, spec };
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
