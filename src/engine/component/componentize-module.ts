import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { KnownContent } from "./prepare-component.js";
import { componentizeInProcess } from "./transpile-component.js";

/**
 * The component made of a core module that carries a component type (see componentizeInto),
 * cached in `cacheDir` by the module's digest: a second start reads neither the module nor the
 * component to know the component's digest.
 */
export async function componentizeModule(module: KnownContent, cacheDir: string): Promise<KnownContent> {
  const file = join(cacheDir, `${module.digest}.wasm`);
  let digest = await readFile(`${file}.sha256`, "utf8").catch(() => undefined);
  if (digest === undefined) {
    await mkdir(cacheDir, { recursive: true });
    await componentizeInProcess(await module.read(), file);
    digest = await readFile(`${file}.sha256`, "utf8");
  }
  return { digest, read: async () => new Uint8Array(await readFile(file)) };
}

/** Whether `module`'s component is in the cache already (then its bytes need not be read to know it carries a component type). */
export async function componentizedAlready(module: KnownContent, cacheDir: string): Promise<boolean> {
  return readFile(join(cacheDir, `${module.digest}.wasm.sha256`)).then(
    () => true,
    () => false,
  );
}
