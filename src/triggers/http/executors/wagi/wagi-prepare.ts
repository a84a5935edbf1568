import { join } from "node:path";
import { compileCoreModule } from "../compile-core-module.js";
import type { PrepareGuest } from "../../../guest-executor.js";
import type { WagiConfig } from "./wagi-config.js";
import { loadInlineWagi } from "./wagi-inline.js";
import type { WagiSpec } from "./wagi-program.js";

/** WAGI's preparation: the module compiled with every entry point its routes call, and its inline form. */
export const prepareWagi: PrepareGuest<WagiConfig> = async (guest, configs, context) => {
  const bytes = await guest.source.read();
  const entrypoints = [...new Set(configs.map((config) => config.entrypoint))];
  const spec: WagiSpec = {
    compiled: await compileCoreModule(guest.id, guest.file, bytes, entrypoints),
    maxMemoryBytes: guest.maxMemoryBytes,
    filesRoot: guest.filesRoot,
  };
  return {
    spec,
    inline: context.inline
      ? await loadInlineWagi({ bytes, digest: guest.source.digest }, spec, join(context.cacheDir, "inline-wagi"))
      : undefined,
  };
};
