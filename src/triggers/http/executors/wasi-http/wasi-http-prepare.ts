import { join } from "node:path";
import { prepareComponent } from "../../../../engine/component/index.js";
import { binaryKind } from "../../../../engine/wasm/binary-reader.js";
import { SERVED_INTERFACES } from "../../../../engine/wasi-p2/index.js";
import { CAPABILITY_INTERFACES } from "../../../../capabilities/interfaces.js";
import { WispError } from "../../../../errors/wisp-error.js";
import type { PrepareGuest } from "../../../guest-executor.js";
import { loadInlineWasiHttp } from "./wasi-http-inline.js";
import type { WasiHttpConfig } from "./wasi-http-config.js";
import type { WasiHttpSpec } from "./wasi-http-program.js";

/** Every interface a component may import: WASI's and the capabilities'. */
const COMPONENT_IMPORTS: ReadonlySet<string> = new Set([...SERVED_INTERFACES, ...CAPABILITY_INTERFACES]);

/** wasi:http's preparation: the component translated and checked against what Wisp serves, and its inline form. */
export const prepareWasiHttp: PrepareGuest<WasiHttpConfig> = async (guest, _configs, context) => {
  if (binaryKind(guest.source.head) === "module") {
    throw new WispError(
      "COMPONENT_INVALID_WASM",
      `component ${guest.id}: ${guest.file} is a WASI preview1 module, not a wasi:http component`,
      'serve it with the WAGI executor: executor = { type = "wagi" } on its [[trigger.http]]',
    );
  }
  const prepared = await prepareComponent(guest.source, join(context.cacheDir, "components"), COMPONENT_IMPORTS, {
    onGlue: context.onGlue,
  }).catch((error: unknown) => {
    if (error instanceof WispError)
      throw new WispError(error.code, `component ${guest.id} (${guest.file}): ${error.message}`, error.hint);
    throw error;
  });
  const spec: WasiHttpSpec = {
    prepared,
    maxMemoryBytes: guest.maxMemoryBytes,
    filesRoot: guest.filesRoot,
    environment: guest.environment,
    grants: guest.grants,
  };
  return { spec, inline: context.inline ? await loadInlineWasiHttp(spec) : undefined, glueFile: prepared.glueFile };
};
