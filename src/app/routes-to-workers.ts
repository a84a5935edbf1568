import { readFile } from "node:fs/promises";
import { parse } from "smol-toml";
// Not manifest/index.js, which loads the checks (zod): this answer is wanted before they load.
import { findManifest } from "../manifest/find-manifest.js";
import { executorForManifestType } from "../triggers/http/executors/registry.js";

/**
 * Whether the app routes HTTP to a component that runs on worker threads (any executor but those
 * whose guests run on main, `inlineFirst`: WAGI), read from the manifest's raw TOML before loadManifest checks
 * it: loading the checks (zod and the schemas) takes ~30 ms, and `wisp up` starts a thread on
 * this answer (see startGuestThreadEarly). Only timing depends on it: a manifest it cannot read
 * gives false, and loadManifest reports what is wrong.
 */
export async function routesToWorkers(pathOrDir: string): Promise<boolean> {
  try {
    const doc = parse(await readFile(await findManifest(pathOrDir), "utf8"));
    const http = (doc.trigger as { http?: unknown } | undefined)?.http;
    if (!Array.isArray(http)) return false;
    return http.some((trigger: { component?: unknown; executor?: { type?: unknown } }) => {
      const type = trigger?.executor?.type;
      return (
        trigger?.component !== undefined && !(typeof type === "string" && executorForManifestType(type)?.inlineFirst)
      );
    });
  } catch {
    return false;
  }
}
