import type { ManifestComponent, TriggerEntry } from "./app-manifest.js";
import { toComponent } from "./component.js";
import type { ManifestErrors } from "./errors.js";
import { componentIdProblem } from "./ids.js";
import type { ManifestSchemas, RawComponent } from "./schema.js";
import { nearest } from "./suggest.js";
import type { TriggerTable, TriggerTableValue } from "./trigger-tables.js";

/**
 * The `[[trigger.<type>]]` tables of one trigger type, checked by its TriggerTable and against
 * `components`. An inline component is added to `components` under the id Spin gives it (see
 * inlineComponentId).
 */
export function toTriggerEntries(
  table: TriggerTable,
  raw: readonly TriggerTableValue[],
  components: Map<string, ManifestComponent>,
  dir: string,
  errors: ManifestErrors,
  schemas: ManifestSchemas,
): TriggerEntry[] {
  const ids = triggerIds(table.type, raw);
  return raw.map((trigger, index) => {
    const path = ["trigger", table.type, index];
    const problem = table.check?.(trigger);
    if (problem) throw errors.invalid([...path, ...problem.at], problem.what, problem.hint);
    let componentId: string | undefined;
    if (typeof trigger.component === "string") {
      componentId = trigger.component;
      if (!components.has(componentId))
        throw undefinedComponent(componentId, [...path, "component"], components, errors);
    } else if (trigger.component) {
      componentId = inlineComponentId(ids[index]!, components);
      components.set(
        componentId,
        toComponent(
          componentId,
          trigger.component as RawComponent,
          dir,
          [...path, "component"],
          errors,
          schemas.componentKeys,
        ),
      );
    }
    const { id: _id, component: _component, ...config } = trigger;
    return { id: ids[index]!, ...(componentId ? { componentId } : {}), config };
  });
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
 * Spin's ids for triggers without an `id`: `<component>-<type>-trigger` when the trigger names a
 * component and that id is free, else `<type>-trigger<N>` with the first free N from 1.
 */
function triggerIds(type: string, raw: readonly TriggerTableValue[]): string[] {
  const taken = new Set(raw.flatMap((t) => (t.id ? [t.id] : [])));
  let counter = 1;
  return raw.map((trigger) => {
    if (trigger.id) return trigger.id;
    const natural = typeof trigger.component === "string" ? `${trigger.component}-${type}-trigger` : undefined;
    let id = natural;
    if (!id || taken.has(id)) {
      while (taken.has(`${type}-trigger${counter}`)) counter++;
      id = `${type}-trigger${counter}`;
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
