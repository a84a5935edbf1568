import { WispError } from "../errors/wisp-error.js";
import type { AppManifest } from "../manifest/index.js";
import { nearest } from "../manifest/suggest.js";
import { knownTriggerTypes } from "../triggers/registry.js";

/**
 * The manifest's trigger types other than http, against the trigger registry: one Wisp knows but
 * does not run from a manifest is a warning (the app's HTTP routes are served); any other is an
 * error that names it and lists the known ones.
 */
export function checkTriggerTypes(
  manifest: Pick<AppManifest, "file" | "otherTriggers">,
  warn: (line: string) => void,
): void {
  const known = knownTriggerTypes();
  for (const type of manifest.otherTriggers) {
    if (!known.includes(type)) {
      const guess = nearest(type, known);
      throw new WispError(
        "MANIFEST_INVALID",
        `${manifest.file}: [[trigger.${type}]] is a trigger of type "${type}", which Wisp does not know (the types it knows are ${known.map((t) => `"${t}"`).join(", ")})`,
        guess
          ? `did you mean [[trigger.${guess}]]?`
          : "name one of them, or remove these triggers: Wisp serves [[trigger.http]]",
      );
    }
  }
  for (const type of manifest.otherTriggers) {
    warn(
      `warning: ${manifest.file} has [[trigger.${type}]], which this version of Wisp does not run; only the HTTP trigger is served`,
    );
  }
}
