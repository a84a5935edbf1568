import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { WispError } from "../errors/wisp-error.js";

/** The names a folder's manifest may have, in the order they are looked for. */
export const MANIFEST_NAMES = ["spin.toml", "wisp.toml"] as const;

/**
 * The absolute path of the manifest `pathOrDir` names: the file itself, or `spin.toml` (then
 * `wisp.toml`) in a folder.
 */
export async function findManifest(pathOrDir: string): Promise<string> {
  const target = resolve(pathOrDir);
  const info = await stat(target).catch(() => undefined);
  if (info?.isFile()) return target;
  if (info?.isDirectory()) {
    for (const name of MANIFEST_NAMES) {
      const candidate = join(target, name);
      if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate;
    }
    throw new WispError(
      "MANIFEST_NOT_FOUND",
      `no ${MANIFEST_NAMES.join(" or ")} in ${target}`,
      "run wisp in the app's folder, pass the manifest with -f PATH, or create an app with `wisp new`",
    );
  }
  throw new WispError(
    "MANIFEST_NOT_FOUND",
    `${target} does not exist`,
    "pass -f the path of a spin.toml / wisp.toml or of its folder, or create an app with `wisp new`",
  );
}
