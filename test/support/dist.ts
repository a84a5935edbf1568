import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { KnownContent } from "../../src/engine/component/index.js";
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

/** Bytes as prepareComponent takes them: with their digest (serve-app's openComponentSource gives the same). */
export function knownContent(bytes: Uint8Array): KnownContent {
  return { digest: createHash("sha256").update(bytes).digest("hex"), read: () => Promise.resolve(bytes) };
}

/** A built fixture's bytes, as prepareComponent takes them. */
export function fixtureContent(name: string): KnownContent {
  return knownContent(readFileSync(fixtureWasm(name)));
}
