import { checkGrants } from "../capabilities/grants.js";
import { loadCapabilityConfig } from "../capabilities/runtime-config.js";
import { resolveVariables, type VariableSources } from "../capabilities/variables/index.js";
import { WispError } from "../errors/wisp-error.js";
import type { AppManifest } from "../manifest/index.js";
import { planFromManifest } from "./plan-from-manifest.js";
import { checkTriggerTypes } from "./trigger-types.js";
import type { ServePlan } from "./serve-plan.js";

/** What `wisp up` and `wisp watch` serve from a manifest: its routes, with variables resolved. */
export async function planApp(
  manifest: AppManifest,
  sources: VariableSources,
  runtimeConfigFile?: string,
  warn: (line: string) => void = (line) => process.stderr.write(line + "\n"),
): Promise<ServePlan> {
  checkTriggerTypes(manifest, warn);
  const runtime = await loadCapabilityConfig(runtimeConfigFile, manifest.dir);
  const plan = planFromManifest(
    manifest,
    await resolveVariables(manifest, { ...sources, providers: runtime.variables }),
    runtime,
  );
  await checkGrants(plan.components, manifest.file);
  return plan;
}

/** `--variable NAME=VALUE` flags, as a map (later flags win). */
export function parseVariableFlags(flags: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    if (eq <= 0)
      throw new WispError("USAGE", `--variable ${flag} is not NAME=VALUE`, "for example --variable api_token=abc123");
    values.set(flag.slice(0, eq), flag.slice(eq + 1));
  }
  return values;
}
