import { readFileSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fork } from "node:child_process";
import { WispError } from "../../errors/wisp-error.js";
import { writesTables } from "../wasm/table-writes.js";
import { CORES_FILE, rewriteCore, type CoreDescription } from "./rewrite-core.js";
import { entryUrl } from "../../code-location.js";

/**
 * The glue comes from jco 1.12 (installed as `jco-sync-glue`), pinned on purpose. From jco 1.15 (and every jco-transpile) the
 * sync glue builds the component-model-async runtime (task objects, generators, debug hooks)
 * inside each instantiation and around each host call: measured here, a hello component went
 * from ~6,300 to ~640 requests/s and the http-ts hello from ~540 to ~87. Wisp instantiates per
 * request, so that cost is the whole budget. Re-measure (`npm run bench`) before moving it.
 */
const GLUE_GENERATOR = "jco-sync-glue";

/** Part of the cache key: new glue for a new jco. (Its package.json is not exported, so read it by path.) */
export const JCO_VERSION: string = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.resolve(GLUE_GENERATOR)), "utf8"),
).version;

/** What the translating process sends back: that it wrote the cache entry, or why not. */
export type TranspileOutcome = { ok: true } | { ok: false; message: string; code?: WispError["code"]; hint?: string };

/** What the translating process is given. */
export interface TranspileJob {
  bytes: Uint8Array;
  dir: string;
  versioned: readonly string[];
}

/**
 * Runs transpileInto in a process of its own, which then exits. jco's translator is itself a large
 * WebAssembly component: run in the server's process, even on a thread that exits, it left ~200 MB
 * of the server's memory resident for as long as the server ran (the http-ts hello: 150 MB after a
 * start on a warm cache, 320-360 MB after one that translated). A process gives it all back.
 */
export function transpileInProcess(bytes: Uint8Array, dir: string, versioned: readonly string[]): Promise<void> {
  const job: TranspileJob = { bytes, dir, versioned };
  const child = fork(entryUrl("transpiler"), [], { serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    let outcome: TranspileOutcome | undefined;
    child.once("message", (message: TranspileOutcome) => (outcome = message));
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (outcome?.ok) return resolve();
      if (outcome?.code) return reject(new WispError(outcome.code, outcome.message, outcome.hint));
      reject(new Error(outcome?.message ?? `the process translating the component ended with ${signal ?? `code ${code}`}`));
    });
    child.send(job);
  });
}

/** jco's `transpile` as Wisp calls it (its own declaration types the options loosely). */
type Transpile = (
  bytes: Uint8Array,
  options: { name: string; instantiation: "sync"; base64Cutoff: number; noTypescript: boolean; map: Record<string, string> },
) => Promise<{ files: Record<string, Uint8Array>; imports: string[] }>;

/**
 * jco names an import without its version, so two versions of one interface would reach the same
 * host object; `versioned` (e.g. `spin:postgres/postgres@4.0.0`) are mapped to their own names.
 */
export async function transpileInto(bytes: Uint8Array, dir: string, versioned: readonly string[]): Promise<void> {
  const { transpile } = (await import(GLUE_GENERATOR)) as unknown as { transpile: Transpile };
  const map = Object.fromEntries(versioned.map((name) => [name, name]));
  let files: Record<string, Uint8Array>;
  let imports: string[];
  try {
    ({ files, imports } = await transpile(bytes, { name: "guest", instantiation: "sync", base64Cutoff: 0, noTypescript: true, map }));
  } catch (error) {
    throw new WispError("COMPONENT_LINK", `cannot translate the component: ${(error as Error).message ?? String(error)}`,
      "check it is a valid WebAssembly component (wasm-tools validate); Wisp serves wasi:http 0.2 components");
  }
  // Write to a temporary folder, then rename: a half-written cache entry is never used.
  const staging = `${dir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const cores: CoreDescription[] = [];
  for (const [name, content] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (name.endsWith(".d.ts")) continue;
    if (!name.endsWith(".wasm")) {
      await writeFile(join(staging, name.endsWith(".js") ? "guest.mjs" : name), content);
      continue;
    }
    // Whether the core may change a table after instantiation: decoding a 13 MB core takes ~0.5 s, once, here.
    const { bytes: rewritten, ...core } = rewriteCore(name, new Uint8Array(content), writesTables(content));
    await writeFile(join(staging, name), rewritten);
    cores.push(core);
  }
  await writeFile(join(staging, "imports.json"), JSON.stringify(imports));
  await writeFile(join(staging, CORES_FILE), JSON.stringify(cores));
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
}

