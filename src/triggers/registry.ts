import { commandTrigger } from "./command/command-trigger.js";
import { httpTrigger } from "./http/http-trigger.js";

/** Every trigger, one line each (see trigger.ts). */
export const TRIGGERS = [httpTrigger, commandTrigger] as const;

/** The triggers' names: `"http" | "command"`. */
export type TriggerType = (typeof TRIGGERS)[number]["type"];

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
