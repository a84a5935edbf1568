import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { WispError } from "../../errors/wisp-error.js";
import type { Preopen } from "../../engine/wasi-p1/index.js";

/** A `--dir HOST[::GUEST]` grant, checked: the host directory exists (the guest sees it read-write, as wasmtime's). */
export async function parseDir(spec: string): Promise<Preopen> {
  const split = spec.indexOf("::");
  const host = split === -1 ? spec : spec.slice(0, split);
  const guest = split === -1 ? spec : spec.slice(split + 2);
  const hostPath = resolve(host);
  const stats = await stat(hostPath).catch(() => undefined);
  if (!stats?.isDirectory()) {
    throw new WispError(
      "USAGE",
      `--dir ${spec}: ${hostPath} is not a directory`,
      "grant an existing directory: --dir HOST[::GUEST]",
    );
  }
  return { hostPath, guestPath: guest, writable: true };
}
