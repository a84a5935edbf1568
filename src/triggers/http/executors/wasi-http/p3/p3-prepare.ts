import { join } from "node:path";
import {
  prepareComponent,
  serves,
  type ComponentWorld,
  type KnownContent,
} from "../../../../../engine/component/index.js";
import { P3_GLUE_NAMES, WASI_P3_SERVED, WASI_P3_VERSIONS } from "../../../../../engine/wasi-p3/index.js";
import { mergeServed, type ServedInterfaces } from "../../../../../engine/component/served-interfaces.js";
import { CAPABILITY_ASYNC_INTERFACE_VERSIONS } from "../../../../../capabilities/interfaces.js";
import { WispError } from "../../../../../errors/wisp-error.js";
import type { GuestToPrepare } from "../../../../guest-executor.js";
import type { P3HttpSpec } from "./p3-http-program.js";
import { p3SuspendingCalls } from "../suspending-glue.js";

/** The handler a wasi:http 0.3 component exports (any 0.3.x, or Spin 4.0's release candidate), which Spin 4 and wasmtime serve. */
export const P3_HANDLER = "wasi:http/handler";

const P3_HANDLER_VERSIONS = new Map([[P3_HANDLER, [...WASI_P3_VERSIONS]]]);

/**
 * What a wasi:http 0.3 component may import: WASI 0.3 and 0.2, and the capabilities' interfaces,
 * Spin 4's async ones (`spin:key-value@3.0.0`...) beside Spin 3's.
 */
const P3_HTTP_SERVED: ServedInterfaces = mergeServed(WASI_P3_SERVED, CAPABILITY_ASYNC_INTERFACE_VERSIONS);

/** Whether the component is a wasi:http 0.3 one: it exports `wasi:http/handler@0.3.x`. */
export function exportsP3Handler(world: ComponentWorld): boolean {
  return world.exports.some((name) => serves(P3_HANDLER_VERSIONS, name));
}

/**
 * A wasi:http 0.3 component's preparation: translated into async glue (the component model's
 * async ABI, see GlueKind), its imports checked against WASI 0.3 and 0.2. It has no inline form:
 * its glue cannot be metered, so it runs on a worker.
 */
export async function prepareP3(
  guest: GuestToPrepare,
  source: KnownContent,
  cacheDir: string,
  onGlue: ((glueFile: string) => void) | undefined,
  world: ComponentWorld,
): Promise<P3HttpSpec> {
  // Spin 3's calls it makes suspend it while they wait (see p3SuspendingCalls).
  const suspending = p3SuspendingCalls(world);
  const prepared = await prepareComponent(source, join(cacheDir, "components"), P3_HTTP_SERVED, {
    onGlue,
    glue: "async",
    glueNames: P3_GLUE_NAMES,
    ...(suspending ? { suspending } : {}),
  }).catch((error: unknown) => {
    if (error instanceof WispError)
      throw new WispError(
        error.code,
        `component ${guest.id} (${guest.file}): ${error.message}`,
        error.code === "COMPONENT_LINK"
          ? "a wasi:http 0.3 component may import WASI 0.3 (cli, clocks, random, filesystem, sockets, wasi:http types and client), WASI 0.2, and Spin's interfaces (Spin 4's and Spin 3's)"
          : error.hint,
      );
    throw error;
  });
  return {
    p3: true,
    suspends: suspending !== undefined,
    prepared,
    maxMemoryBytes: guest.maxMemoryBytes,
    filesRoot: guest.filesRoot,
    environment: guest.environment,
    grants: guest.grants,
  };
}
