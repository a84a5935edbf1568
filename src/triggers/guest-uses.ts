import { WispError } from "../errors/wisp-error.js";
import type { GuestUse } from "./trigger.js";

/**
 * One use per component, in first-use order, with the configs of all its uses: a component is
 * prepared once, by one executor, however many routes (or triggers) run it. A component used
 * with two executors is an error (each prepares its own form of the guest).
 */
export function mergeGuestUses(uses: Iterable<GuestUse>): GuestUse[] {
  const merged = new Map<string, GuestUse>();
  for (const use of uses) {
    const previous = merged.get(use.componentId);
    if (!previous) {
      merged.set(use.componentId, { ...use, configs: [...use.configs] });
      continue;
    }
    if (previous.executor !== use.executor) {
      throw new WispError(
        "MANIFEST_INVALID",
        `component ${use.componentId} is used with both the ${previous.executor.kind} and ${use.executor.kind} executors`,
        "give each executor its own component",
      );
    }
    previous.configs.push(...use.configs);
  }
  return [...merged.values()];
}
