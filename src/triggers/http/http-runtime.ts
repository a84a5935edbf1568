import { WispError } from "../../errors/wisp-error.js";
import type {
  GuestUse,
  JobQueue,
  RunningServedTrigger,
  ServedTriggerRuntime,
  TriggerApp,
  TriggerComponent,
  TriggerGeneration,
} from "../trigger.js";
import { mergeGuestUses } from "../guest-uses.js";
import { executorNamed, executorPayload } from "./executors/registry.js";
import type { HttpTriggerPlan, PlannedRoute } from "./http-plan.js";
import { HttpTriggerServer, type ServingApp } from "./http-server.js";
import type { ComponentTarget, HttpTarget } from "./http-target.js";
import { routeListing } from "./route-listing.js";
import { RouteTable } from "./routing/index.js";
import { SelfRequestDepth } from "./self-request-depth.js";

/** One version of the app as the HTTP trigger serves it: its routes, built into a table. */
export interface HttpGeneration extends TriggerGeneration {
  app: TriggerApp;
  routes: PlannedRoute[];
  router: RouteTable;
}

export interface RunningHttpTrigger extends RunningServedTrigger<HttpGeneration> {
  /** `http://host:port`, as it listens. */
  readonly url: string;
}

/** The HTTP trigger's runtime (see Trigger): routes, Spin's headers and status codes live below it, in this folder. */
export const httpRuntime: ServedTriggerRuntime<HttpTriggerPlan, HttpGeneration, RunningHttpTrigger> = {
  generation(app, { routes }) {
    const guests = guestUses(routes);
    const components = new Map(app.components.map((c) => [c.id, c]));
    const router = RouteTable.build(
      routes.map((route) => ({ route: route.route, target: toTarget(route, components) })),
    );
    return { app, routes, router, guests };
  },

  async start(first, host) {
    const selfDepth = new SelfRequestDepth();
    const serving = (generation: HttpGeneration, jobs: JobQueue): ServingApp => {
      warnOfDuplicates(generation.router, host.log);
      return {
        router: generation.router,
        pool: selfDepth.jobs(jobs),
        appInfo: {
          name: generation.app.appName,
          ...(generation.app.appVersion ? { version: generation.app.appVersion } : {}),
        },
      };
    };
    const server = new HttpTriggerServer({
      ...serving(first, host.jobs),
      payload: selfDepth.payloads((target, request) => executorPayload(target.executor, request, target)),
      logFailure: host.logFailure,
    });
    const address = await server.listen(host.listen.host, host.listen.port);
    const hostName = address.family === "IPv6" ? `[${address.address}]` : address.address;
    const url = `http://${hostName}:${address.port}`;
    return {
      url,
      swap: (generation, jobs) => server.swap(serving(generation, jobs)),
      describe: (generation) =>
        routeListing(
          url,
          generation.routes.map((r) => ({
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
  return mergeGuestUses(
    routes.flatMap((route) =>
      route.kind === "component"
        ? [
            {
              componentId: route.componentId,
              executor: executorNamed(route.executor.kind),
              configs: [route.executor.config],
            },
          ]
        : [],
    ),
  );
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

function toTarget(route: PlannedRoute, components: ReadonlyMap<string, TriggerComponent>): HttpTarget {
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
