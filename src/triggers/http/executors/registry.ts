import type { ExecutorTable, HttpExecutor } from "./executor.js";
import { wagiExecutor } from "./wagi/wagi-executor.js";
import { wasiHttpExecutor } from "./wasi-http/wasi-http-executor.js";

/**
 * Every HTTP executor, one line each (see README.md). The first is the default: a
 * `[[trigger.http]]` without `executor` uses it. For `wisp up --from`, the first that runs the
 * binary's kind serves it.
 */
export const HTTP_EXECUTORS = [wasiHttpExecutor, wagiExecutor] as const;

type AnyExecutor = (typeof HTTP_EXECUTORS)[number];

/** The executors' names: `"wasi-http" | "wagi"`. */
export type ExecutorKind = AnyExecutor["kind"];

/** A route's executor with its settings, e.g. `{ kind: "wagi", config: { argv, entrypoint } }` (structured-cloneable). */
export type ExecutorRoute = {
  [K in ExecutorKind]: { kind: K; config: ConfigOf<Extract<AnyExecutor, { kind: K }>> };
}[ExecutorKind];

type ConfigOf<E> = E extends HttpExecutor<string, infer Config> ? Config : never;

export const DEFAULT_EXECUTOR: AnyExecutor = HTTP_EXECUTORS[0];

/** Every executor's manifest table, the default's first: for the manifest to check (see ManifestExtensions). */
export const EXECUTOR_TABLES: readonly [ExecutorTable, ...ExecutorTable[]] = [
  DEFAULT_EXECUTOR.manifest,
  ...HTTP_EXECUTORS.slice(1).map((executor) => executor.manifest),
];

/** The executor named `kind`, seen from code that handles every executor alike (its config opaque). */
export function executorNamed(kind: ExecutorKind): HttpExecutor<ExecutorKind> {
  // Each executor's methods take its own config; the caller passes only configs of its routes.
  return HTTP_EXECUTORS.find((executor) => executor.kind === kind) as never;
}

/** The executor a manifest's `executor = { type = ... }` names, or undefined. */
export function executorForManifestType(type: string): AnyExecutor | undefined {
  return HTTP_EXECUTORS.find((executor) => executor.manifest.types.includes(type));
}

/** The executor that serves a binary of this kind by default (`wisp up --from`). */
export function executorForBinary(kind: "module" | "component"): AnyExecutor {
  return HTTP_EXECUTORS.find((executor) => executor.runs === kind)!;
}

/** A route's executor and config, from its manifest table (defaults filled in). */
export function executorRoute(table: { type: string } & Readonly<Record<string, string | undefined>>): ExecutorRoute {
  const executor = executorForManifestType(table.type);
  if (!executor) throw new Error(`no executor serves manifest type ${table.type}`); // the manifest's schema refuses it first
  return { kind: executor.kind, config: executorNamed(executor.kind).manifest.config(table) } as ExecutorRoute;
}

/** The route's job payload, built by its executor (see HttpExecutor.payload). */
export function executorPayload(
  executor: ExecutorRoute,
  request: Parameters<AnyExecutor["payload"]>[0],
  component: { environment: Array<[string, string]> },
): unknown {
  return executorNamed(executor.kind).payload(request, executor.config, component);
}
