import { CAPABILITY_INTERFACES } from "../../../../capabilities/interfaces.js";
import { ComponentFactory, meterComponent } from "../../../../engine/component/index.js";
import type { InlineProgram } from "../../../../engine/inline/inline-program.js";
import type { WasiHttpSpec } from "./wasi-http-program.js";
import { UNVERSIONED_SPIN_ALIASES } from "./spin1/unversioned-spin.js";

/** The host objects Spin 1.4's unversioned interfaces reach: capabilities too. */
const SPIN_1_4_HOSTS: ReadonlySet<string> = new Set(Object.values(UNVERSIONED_SPIN_ALIASES));

/**
 * Prepares a wasi:http component to also run on the main thread (see InlineRunner), or says it
 * cannot. It must import none of the capabilities, in any version (their calls wait for the main thread, and some
 * have effects a rerun on a worker would repeat) and be granted no outbound host, and its cores
 * must be meterable (see meter-component). Everything else is as on a worker: the same
 * instantiation per request, the same isolation.
 */
export async function loadInlineWasiHttp(spec: WasiHttpSpec): Promise<InlineProgram | undefined> {
  if (spec.prepared.imports.some((name) => CAPABILITY_INTERFACES.has(name) || SPIN_1_4_HOSTS.has(name)))
    return undefined;
  if (spec.grants.allowedOutboundHosts.length > 0) return undefined;
  const metered = await meterComponent(spec.prepared);
  if (!metered) return undefined;
  // Loaded here, not with the server: it brings every capability's module (a WAGI-only app needs none).
  const { WasiHttpProgram } = await import("./wasi-http-program.js");
  try {
    return new WasiHttpProgram(await ComponentFactory.load(metered, spec.maxMemoryBytes), spec);
  } catch (error) {
    // MemoryPool's refusal of a cap below the module's need is reported by the workers' load, naming the component.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
