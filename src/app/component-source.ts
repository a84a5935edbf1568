import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { WispError } from "../errors/wisp-error.js";

export type SourceRef = { kind: "path"; path: string } | { kind: "url"; url: string; digest: string };

/**
 * Reads a component's wasm: a local file, or a URL whose content must match the manifest's
 * `sha256:` digest (downloaded once into `cacheDir`, as Spin's cache does, and verified every time).
 */
export async function readComponentSource(componentId: string, source: SourceRef, cacheDir: string): Promise<Uint8Array<ArrayBuffer>> {
  if (source.kind === "path") {
    try {
      return new Uint8Array(await readFile(source.path));
    } catch (error) {
      throw new WispError(
        "COMPONENT_SOURCE_MISSING",
        `component ${componentId}: cannot read its source ${source.path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        "build the component first (wisp build) or fix `source` in the manifest",
      );
    }
  }
  const expected = source.digest.replace(/^sha256:/, "").toLowerCase();
  const cached = join(cacheDir, "sources", `${expected}.wasm`);
  try {
    const bytes = new Uint8Array(await readFile(cached));
    if (sha256(bytes) === expected) return bytes;
  } catch {
    // not cached yet
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    const response = await fetch(source.url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new WispError(
      "COMPONENT_SOURCE_MISSING",
      `component ${componentId}: cannot download ${source.url}: ${(error as Error).message}`,
      "check the URL and your network, or point `source` at a local file",
    );
  }
  const actual = sha256(bytes);
  if (actual !== expected) {
    throw new WispError(
      "COMPONENT_SOURCE_DIGEST",
      `component ${componentId}: ${source.url} has digest sha256:${actual}, but the manifest says ${source.digest}`,
      "the file changed since the manifest was written: check where it comes from, then update `digest`",
    );
  }
  await mkdir(join(cacheDir, "sources"), { recursive: true });
  await writeFile(cached + ".part", bytes);
  await rename(cached + ".part", cached);
  return bytes;
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
