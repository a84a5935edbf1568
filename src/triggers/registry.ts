import { commandTrigger } from "./command/command-trigger.js";
import { httpTrigger } from "./http/http-trigger.js";
import type { AppManifest, TriggerTable } from "../manifest/index.js";
import type { RunningServedTrigger, ServedTrigger, ServedTriggerRuntime, TriggerGeneration } from "./trigger.js";

/** Every trigger, one line each (see trigger.ts). */
export const TRIGGERS = [httpTrigger, commandTrigger] as const;

/** The triggers' names: `"http" | "command"`. */
export type TriggerType = (typeof TRIGGERS)[number]["type"];

/** The triggers an app host serves from a manifest's tables (see ServedTrigger), in the registry's order. */
const SERVED_TRIGGERS = TRIGGERS.filter((trigger): trigger is ServedTriggerOf => trigger.fromManifest);
type ServedTriggerOf = Extract<(typeof TRIGGERS)[number], { fromManifest: true }>;

/** Each served trigger's part of an app's plan, by its type: `{ http?: HttpTriggerPlan }`. */
export type TriggerPlans = {
  [T in ServedTriggerOf as T["type"]]?: T extends ServedTrigger<infer Plan, unknown> ? Plan : never;
};

/** A served trigger of any plan, as the app host drives it: its plan is what its own `planFromManifest` made. */
export type AnyServedTrigger = ServedTrigger<
  unknown,
  ServedTriggerRuntime<unknown, TriggerGeneration, RunningServedTrigger<TriggerGeneration>>
>;

/** The manifest tables of the triggers Wisp runs from a manifest (see ManifestExtensions). */
export const TRIGGER_TABLES: readonly TriggerTable[] = SERVED_TRIGGERS.map((trigger) => trigger.manifestTable);

/** Every served trigger's part of the plan of `manifest` (those with none of its tables have none). */
export function planTriggers(manifest: AppManifest): TriggerPlans {
  const plans: Record<string, unknown> = {};
  for (const trigger of SERVED_TRIGGERS) {
    const plan = trigger.planFromManifest(manifest);
    if (plan !== undefined) plans[trigger.type] = plan;
  }
  return plans as TriggerPlans;
}

/** The triggers a plan serves, each with its part, in the registry's order. */
export function plannedTriggers(plans: TriggerPlans): Array<{ trigger: AnyServedTrigger; plan: unknown }> {
  const parts = plans as Record<string, unknown>;
  return SERVED_TRIGGERS.flatMap((trigger) =>
    parts[trigger.type] === undefined ? [] : [{ trigger, plan: parts[trigger.type] }],
  );
}

/**
 * Trigger types of Spin's (built in or its plugins') that Wisp reads in a manifest but does not run
 * yet: an app with one is served with its other triggers, and a warning. Any other type is an error.
 */
export const UNRUN_TRIGGER_TYPES: readonly string[] = ["redis", "mqtt", "cron", "sqs"];

/** Every trigger type a manifest may name: those Wisp runs first, then those it only reads. */
export function knownTriggerTypes(): string[] {
  const run = TRIGGERS.filter((trigger) => trigger.fromManifest).map((trigger) => trigger.type);
  const read = [
    ...TRIGGERS.filter((trigger) => !trigger.fromManifest).map((trigger) => trigger.type),
    ...UNRUN_TRIGGER_TYPES,
  ];
  return [...run, ...read];
}
