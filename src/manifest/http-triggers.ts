import type { HttpTriggerEntry, ManifestComponent } from "./app-manifest.js";
import { toComponent } from "./component.js";
import type { ExecutorTable } from "./executor-tables.js";
import type { ManifestSchemas } from "./schema.js";
import type { ManifestErrors } from "./errors.js";
import { componentIdProblem } from "./ids.js";
import type { RawHttpTrigger } from "./schema.js";
import { nearest } from "./suggest.js";

/**
 * The `[[trigger.http]]` entries, checked against each other and against `components`. An inline
 * component is added to `components` under the id Spin gives it (see inlineComponentId).
 */
export function toHttpTriggers(
  raw: RawHttpTrigger[],
  components: Map<string, ManifestComponent>,
  dir: string,
  errors: ManifestErrors,
  schemas: ManifestSchemas,
): HttpTriggerEntry[] {
  const ids = triggerIds(raw);
  return raw.map((trigger, index) => {
    const path = ["trigger", "http", index];
    if (typeof trigger.route === "string" && !trigger.route.startsWith("/")) {
      throw errors.invalid(
        [...path, "route"],
        `is ${JSON.stringify(trigger.route)}: a route must start with /`,
        `write it as route = "/${trigger.route}"`,
      );
    }
    if (trigger.component !== undefined && trigger.static_response !== undefined) {
      throw errors.invalid(
        path,
        "has both `component` and `static_response`, and a trigger needs exactly one",
        "keep `component` to run it for this route, or `static_response` to answer without one; move the other to its own [[trigger.http]]",
      );
    }
    if (trigger.component === undefined && trigger.static_response === undefined) {
      throw errors.invalid(
        path,
        "has neither `component` nor `static_response`, and a trigger needs exactly one",
        'add component = "ID" naming the component to run for this route, or a static_response = { status_code = 200, body = "..." }',
      );
    }
    let componentId: string | undefined;
    if (typeof trigger.component === "string") {
      componentId = trigger.component;
      if (!components.has(componentId))
        throw undefinedComponent(componentId, [...path, "component"], components, errors);
    } else if (trigger.component) {
      componentId = inlineComponentId(ids[index]!, components);
      components.set(
        componentId,
        toComponent(componentId, trigger.component, dir, [...path, "component"], errors, schemas.componentKeys),
      );
    }
    const executor = executorTable(
      (trigger.executor as HttpTriggerEntry["executor"] | undefined) ?? { type: schemas.executorTables[0].types[0] },
      schemas.executorTables,
    );
    const response = trigger.static_response;
    const staticResponse = response && {
      status: response.status_code ?? 200,
      headers: Object.entries(response.headers ?? {}),
      body: new TextEncoder().encode(response.body ?? ""),
    };
    return { id: ids[index]!, route: trigger.route, componentId, staticResponse, executor };
  });
}

/** A checked `executor` table under its executor's own name, with the defaults of its options filled in. */
function executorTable(
  raw: { type: string } & Record<string, string | undefined>,
  tables: readonly ExecutorTable[],
): HttpTriggerEntry["executor"] {
  const table = tables.find((t) => t.types.includes(raw.type))!; // the schema admits only the tables' types
  const options = Object.entries(table.options).map(([key, option]): [string, string | undefined] => [
    key,
    raw[key] ?? option.default,
  ]);
  return { type: table.types[0], ...Object.fromEntries(options) };
}

function undefinedComponent(
  id: string,
  path: Array<string | number>,
  components: Map<string, ManifestComponent>,
  errors: ManifestErrors,
) {
  const defined = [...components.keys()];
  const guess = nearest(id, defined);
  const listed =
    defined.length > 0
      ? `the components defined are ${defined.map((d) => `"${d}"`).join(", ")}`
      : "the manifest defines no components";
  return errors.invalid(
    path,
    `names component "${id}", which the manifest does not define (${listed})`,
    guess
      ? `did you mean "${guess}"? Or define [component.${id}]`
      : `define [component.${id}] with its source, or name one of the defined components`,
  );
}

/**
 * Spin's ids for triggers without an `id`: `<component>-http-trigger` when the trigger names a
 * component and that id is free, else `http-trigger<N>` with the first free N from 1.
 */
function triggerIds(raw: RawHttpTrigger[]): string[] {
  const taken = new Set(raw.flatMap((t) => (t.id ? [t.id] : [])));
  let counter = 1;
  return raw.map((trigger) => {
    if (trigger.id) return trigger.id;
    const natural = typeof trigger.component === "string" ? `${trigger.component}-http-trigger` : undefined;
    let id = natural;
    if (!id || taken.has(id)) {
      while (taken.has(`http-trigger${counter}`)) counter++;
      id = `http-trigger${counter}`;
    }
    taken.add(id);
    return id;
  });
}

/**
 * Spin's id for an inline component: `<trigger id>-component` when that is a valid, unused
 * component id, else `inline-component<N>` with the first free N from 1.
 */
function inlineComponentId(triggerId: string, components: ReadonlyMap<string, unknown>): string {
  const natural = `${triggerId}-component`;
  if (componentIdProblem(natural) === undefined && !components.has(natural)) return natural;
  let counter = 1;
  while (components.has(`inline-component${counter}`)) counter++;
  return `inline-component${counter}`;
}
