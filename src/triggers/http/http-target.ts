import type { ExecutorRoute } from "./executors/registry.js";

/** What a route leads to: a component run by an executor, or a fixed response served by Wisp itself. */
export type HttpTarget = ComponentTarget | StaticTarget;

export interface ComponentTarget {
  kind: "component";
  componentId: string;
  /** The executor that runs it, with the route's settings for it (see executors/). */
  executor: ExecutorRoute;
  /** The manifest's `environment` for the component (WAGI merges it into the CGI environment). */
  environment: Array<[string, string]>;
  timeoutMs: number;
  maxRequestBodyBytes: number;
}

export interface StaticTarget {
  kind: "static";
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

/** A route lookup as the server needs it (the route table implements it). */
export interface HttpRouter {
  match(path: string): RouteHit | undefined;
}

export interface RouteHit {
  target: HttpTarget;
  matchedRoute: string;
  rawComponentRoute: string;
  componentRoute: string;
  pathInfo: string;
  params: Record<string, string>;
}
