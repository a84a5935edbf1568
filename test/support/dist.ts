import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Code that runs on worker threads must be the built JavaScript (`npm run build`), not TS. */
export function distUrl(relative: string): URL {
  return pathToFileURL(join(repoRoot, "dist", relative));
}

export function fixtureWasm(name: string): string {
  return join(repoRoot, "test", "fixtures", ".build", `${name}.wasm`);
}
