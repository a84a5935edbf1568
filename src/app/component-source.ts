import { createHash } from "node:crypto";
import type { BigIntStats, Stats } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { WispError } from "../errors/wisp-error.js";
import { readHead } from "../engine/wasm/binary-reader.js";
import type { SourceRef } from "../manifest/app-manifest.js";

/** A component's wasm, with its sha256 known before it is read, and perhaps without reading it. */
export interface ComponentSource {
  /** The hex sha256 of the bytes `read` gives. */
  digest: string;
  /** The first 8 bytes, enough for binaryKind. */
  head: Uint8Array;
  read(): Promise<Uint8Array<ArrayBuffer>>;
}

/**
 * Opens a component's source for a start. The sha256 of a local file is remembered in
 * `cacheDir/digests/` with its size, inode, mtime and ctime (ctime changes on every write, and no
 * tool sets it back): a start whose component is already prepared then reads 8 bytes of it, not
 * all of it. The http-ts hello's 13 MB took ~45 ms of the main thread to read and hash.
 */
export async function openComponentSource(
  componentId: string,
  source: SourceRef,
  cacheDir: string,
): Promise<ComponentSource> {
  if (source.kind === "url") {
    const bytes = await readUrlSource(componentId, source, cacheDir);
    return { digest: expectedDigest(source), head: bytes.subarray(0, 8), read: () => Promise.resolve(bytes) };
  }
  const stats = await stat(source.path, { bigint: true }).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(componentId, source.path, error);
  });
  // A device, a FIFO or a folder is no component: /dev/zero would be read until memory ran out.
  if (!stats.isFile()) {
    throw new WispError(
      "COMPONENT_SOURCE_MISSING",
      `component ${componentId}: its \`source\` ${source.path} is ${fileKind(stats)}, not a file`,
      "point `source` at the component's .wasm file, relative to the manifest's folder: source = \"target/app.wasm\"",
    );
  }
  const fingerprint = `${stats.size}:${stats.ino}:${stats.mtimeNs}:${stats.ctimeNs}`;
  const entry = join(cacheDir, "digests", sha256(Buffer.from(source.path)));
  const remembered = await readFile(entry, "utf8").catch(() => "");
  if (remembered.startsWith(fingerprint + " ")) {
    const digest = remembered.slice(fingerprint.length + 1);
    const head = await readHead(source.path).catch((error: NodeJS.ErrnoException) => {
      throw unreadable(componentId, source.path, error);
    });
    return { digest, head, read: () => readExpected(componentId, source.path, digest) };
  }
  const bytes = await readLocal(componentId, source.path);
  const digest = sha256(bytes);
  // Remembering is an optimisation: a read-only cache folder only costs the next start a read.
  await mkdir(join(cacheDir, "digests"), { recursive: true })
    .then(() => writeFile(entry + ".part", `${fingerprint} ${digest}`))
    .then(() => rename(entry + ".part", entry))
    .catch(() => undefined);
  return { digest, head: bytes.subarray(0, 8), read: () => Promise.resolve(bytes) };
}

/** Reads a file whose digest was remembered: one that changed since its stat is refused, not cached under the old digest. */
async function readExpected(componentId: string, path: string, digest: string): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = await readLocal(componentId, path);
  if (sha256(bytes) !== digest) {
    throw new WispError(
      "COMPONENT_SOURCE_DIGEST",
      `component ${componentId}: ${path} changed while Wisp was reading it`,
      "start again once the build that writes it has finished",
    );
  }
  return bytes;
}

async function readLocal(componentId: string, path: string): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw unreadable(componentId, path, error as NodeJS.ErrnoException);
  }
}

/** The hex sha256 a URL source's manifest entry names. */
function expectedDigest(source: { digest: string }): string {
  return source.digest.replace(/^sha256:/, "").toLowerCase();
}

function unreadable(componentId: string, path: string, error: NodeJS.ErrnoException): WispError {
  return new WispError(
    "COMPONENT_SOURCE_MISSING",
    `component ${componentId}: cannot read its source ${path} (${error.code ?? error.message})`,
    "build the component first (wisp build) or fix `source` in the manifest",
  );
}

/**
 * Reads a component's wasm from a URL: its content must match the manifest's `sha256:` digest
 * (downloaded once into `cacheDir`, as Spin's cache does, and verified every time).
 */
async function readUrlSource(
  componentId: string,
  source: Extract<SourceRef, { kind: "url" }>,
  cacheDir: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const expected = expectedDigest(source);
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

/** What a path that is not a regular file is, for a message: "a folder", "a character device"... */
export function fileKind(stats: Stats | BigIntStats): string {
  if (stats.isFile()) return "a file";
  if (stats.isDirectory()) return "a folder";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isSocket()) return "a socket";
  return "a symbolic link";
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
