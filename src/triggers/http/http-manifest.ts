import * as z from "zod/mini";
import "../../schema/zod-setup.js";
import type { TriggerTable } from "../../manifest/index.js";
import type { ExecutorTable } from "./executors/executor.js";
import { EXECUTOR_TABLES } from "./executors/registry.js";

/**
 * `[[trigger.http]]`, as the manifest checks it as it loads (see TriggerTable): a route, and a
 * component run by an executor or a static response. http-plan.ts turns the tables into routes.
 */
export const HTTP_TRIGGER_TABLE: TriggerTable = {
  type: "http",
  keys: {
    route: z.union([z.string(), z.strictObject({ private: z.literal(true, "must be true") })], {
      error: 'must be a path such as "/api/..." or { private = true }',
    }),
    executor: z.optional(executorSchema(EXECUTOR_TABLES)),
    static_response: z.optional(
      z.strictObject({
        status_code: z.optional(
          z
            .int()
            .check(
              z.minimum(100, "must be an HTTP status, 100 to 999"),
              z.maximum(999, "must be an HTTP status, 100 to 999"),
            ),
        ),
        headers: z.optional(z.record(z.string(), z.string())),
        body: z.optional(z.string()),
      }),
    ),
  },
  hints: {
    route:
      'write route = "/path" ("/path/..." for a prefix), or route = { private = true } for a component no URL reaches',
    executor: executorHint(EXECUTOR_TABLES),
    status_code: "write an HTTP status such as status_code = 200 or 302",
  },
  unsupported: [
    {
      key: "components",
      what: "Spin's middleware chain",
      hint: "remove it: Wisp runs the trigger's `component` alone",
    },
    {
      key: "dependencies",
      what: "Spin's trigger-level component dependencies",
      hint: "remove it, and give the component its `dependencies` instead",
    },
  ],
  check(table) {
    if (typeof table.route === "string" && !table.route.startsWith("/"))
      return {
        at: ["route"],
        what: `is ${JSON.stringify(table.route)}: a route must start with /`,
        hint: `write it as route = "/${table.route}"`,
      };
    if (table.component !== undefined && table.static_response !== undefined)
      return {
        at: [],
        what: "has both `component` and `static_response`, and a trigger needs exactly one",
        hint: "keep `component` to run it for this route, or `static_response` to answer without one; move the other to its own [[trigger.http]]",
      };
    if (table.component === undefined && table.static_response === undefined)
      return {
        at: [],
        what: "has neither `component` nor `static_response`, and a trigger needs exactly one",
        hint: 'add component = "ID" naming the component to run for this route, or a static_response = { status_code = 200, body = "..." }',
      };
    return undefined;
  },
};

/** A `[[trigger.http]]` table's keys, as HTTP_TRIGGER_TABLE's schemas read them. */
export interface HttpTriggerConfig {
  route: string | { private: true };
  executor?: { type: string } & Readonly<Record<string, string | undefined>>;
  static_response?: { status_code?: number; headers?: Record<string, string>; body?: string };
}

/**
 * `executor = { type = ... }`: a table for each type an executor answers to, its options optional
 * strings (typed here by `type` alone: the options are the executor's to read).
 */
type ExecutorTableSchema = z.ZodMiniObject<{ type: z.ZodMiniLiteral<string> }, z.core.$strict>;
function executorSchema(tables: readonly ExecutorTable[]) {
  const schemas = tables.flatMap((table) =>
    table.types.map(
      (type) =>
        z.strictObject({
          type: z.literal(type),
          ...Object.fromEntries(Object.keys(table.options).map((key) => [key, z.optional(z.string())])),
        }) as ExecutorTableSchema,
    ),
  );
  return z.discriminatedUnion("type", schemas as [ExecutorTableSchema, ...ExecutorTableSchema[]], {
    error: `must be ${orList(tables.map((table, i) => `{ type = "${table.types[0]}" }${i === 0 ? " (the default)" : ""}`))}`,
  });
}

/** What to write for `executor`: each executor's table, and what it runs. */
function executorHint(tables: readonly ExecutorTable[]): string {
  return `write ${orList(
    tables.map(
      (table, i) => `executor = { type = "${table.types[0]}" } (${i === 0 ? "the default, " : ""}${table.runs})`,
    ),
  )}`;
}

function orList(items: string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
