import { WispError } from "../../errors/wisp-error.js";
import type { GuestUse, JobQueue, RunningTrigger, TriggerGeneration, TriggerRuntime } from "../trigger.js";
import { executorNamed, executorPayload, type ExecutorKind, type ExecutorRoute } from "./executors/registry.js";
import type { HttpComponent, HttpPlan, PlannedRoute } from "./http-plan.js";
import { HttpTriggerServer, type ServingApp } from "./http-server.js";
import type { ComponentTarget, HttpTarget } from "./http-target.js";
import { routeListing } from "./route-listing.js";
import { RouteTable } from "./routing/index.js";
import { SelfRequestDepth } from "./self-request-depth.js";

/** One version of the app as the HTTP trigger serves it: its routes, built into a table. */
export interface HttpGeneration extends TriggerGeneration {
  plan: HttpPlan;
  router: RouteTable;
}

export interface HttpStartOptions {
  host: string;
  port: number;
  /** Where the first generation's jobs go. */
  jobs: JobQueue;
  /** Where failures of a component are reported (`[component] request failed: ...`). */
  logFailure: (componentId: string, message: string) => void;
  /** The terminal's log: warnings about the routes of each generation as it starts serving. */
  log: (line: string) => void;
}

export interface RunningHttpTrigger extends RunningTrigger<HttpGeneration> {
  /** `http://host:port`, as it listens. */
  url: string;
  swap(generation: HttpGeneration, jobs: JobQueue): void;
  /** What it serves, for the terminal: each route, with its URL and what serves it. */
  describe(generation: HttpGeneration): string;
  /** Without `graceMs`, waits for every request in flight. */
  close(graceMs?: number): Promise<void>;
}

/** The HTTP trigger's runtime (see Trigger): routes, Spin's headers and status codes live below it, in this folder. */
export const httpRuntime: TriggerRuntime<HttpPlan, HttpGeneration, HttpStartOptions, RunningHttpTrigger> = {
  generation(plan) {
    const guests = guestUses(plan.routes);
    const components = new Map(plan.components.map((c) => [c.id, c]));
    const router = RouteTable.build(
      plan.routes.map((route) => ({ route: route.route, target: toTarget(route, components) })),
    );
    return { plan, router, guests };
  },

  async start(first, options) {
    const selfDepth = new SelfRequestDepth();
    const serving = (generation: HttpGeneration, jobs: JobQueue): ServingApp => {
      warnOfDuplicates(generation.router, options.log);
      return {
        router: generation.router,
        pool: selfDepth.jobs(jobs),
        appInfo: {
          name: generation.plan.appName,
          ...(generation.plan.appVersion ? { version: generation.plan.appVersion } : {}),
        },
      };
    };
    const server = new HttpTriggerServer({
      ...serving(first, options.jobs),
      payload: selfDepth.payloads((target, request) => executorPayload(target.executor, request, target)),
      logFailure: options.logFailure,
    });
    const address = await server.listen(options.host, options.port);
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    return {
      url,
      swap: (generation, jobs) => server.swap(serving(generation, jobs)),
      describe: (generation) =>
        routeListing(
          url,
          generation.plan.routes.map((r) => ({
            route: r.route,
            name: r.kind === "component" ? r.componentId : "static response",
          })),
        ),
      async close(graceMs) {
        const closed = server.close();
        if (graceMs === undefined) return closed;
        await Promise.race([closed, new Promise((r) => setTimeout(r, graceMs).unref())]);
      },
    };
  },
};

/** Each routed component, with its executor and the settings of each route that uses it. */
function guestUses(routes: readonly PlannedRoute[]): GuestUse[] {
  const uses = new Map<string, { kind: ExecutorKind; configs: ExecutorRoute["config"][] }>();
  for (const route of routes) {
    if (route.kind !== "component") continue;
    const previous = uses.get(route.componentId);
    if (previous && previous.kind !== route.executor.kind) {
      throw new WispError(
        "MANIFEST_INVALID",
        `component ${route.componentId} is used with both the ${previous.kind} and ${route.executor.kind} executors`,
        "give each executor its own component",
      );
    }
    if (previous) previous.configs.push(route.executor.config);
    else uses.set(route.componentId, { kind: route.executor.kind, configs: [route.executor.config] });
  }
  return [...uses].map(([componentId, { kind, configs }]) => ({ componentId, executor: executorNamed(kind), configs }));
}

/** Routes defined twice: said as the generation starts serving, once its guests are ready. */
function warnOfDuplicates(router: RouteTable, log: (line: string) => void): void {
  for (const duplicate of router.duplicates) {
    const what =
      duplicate.target.kind === "component" ? `component ${duplicate.target.componentId}` : "a static response";
    log(
      `warning: route ${duplicate.route} (${what}) is defined again later; as in Spin, the later definition is used and this one never is`,
    );
  }
}

function toTarget(route: PlannedRoute, components: ReadonlyMap<string, HttpComponent>): HttpTarget {
  if (route.kind === "static")
    return { kind: "static", status: route.status, headers: route.headers, body: route.body };
  const component = components.get(route.componentId);
  if (!component)
    throw new WispError(
      "MANIFEST_INVALID",
      `a route names component ${route.componentId}, which the app does not define`,
      `add [component.${route.componentId}]`,
    );
  const target: ComponentTarget = {
    kind: "component",
    componentId: route.componentId,
    executor: route.executor,
    environment: component.environment,
    timeoutMs: component.limits.timeoutMs,
    maxRequestBodyBytes: component.limits.maxRequestBodyBytes,
  };
  return target;
}
