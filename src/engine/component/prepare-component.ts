import { createHash } from "node:crypto";
import { access, mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WispError } from "../../errors/wisp-error.js";
import { exportInstanceState, type InstanceStateExports } from "../wasm/export-instance-state.js";
import { MEMORY_IMPORT, importDefinedMemory, type MemoryImportPlan } from "../wasm/import-memory.js";
import { isStatelessCore } from "../wasm/stateless-core.js";
import { writesTables } from "../wasm/table-writes.js";

/** A component ready for the workers: jco's glue on disk and its core modules compiled once. */
export interface PreparedComponent {
  /** Absolute path of the generated ES module exporting `instantiate` (`.mjs`: the cache folder has no package.json). */
  glueFile: string;
  cores: PreparedCore[];
  /** The interfaces it imports, unversioned as the glue names them (see CAPABILITY_INTERFACES for versioned ones). */
  imports: string[];
}

export interface PreparedCore {
  /** The file name the glue asks for (`guest.core.wasm`). */
  name: string;
  module: WebAssembly.Module;
  /** Present when the core's memory is supplied from Wisp's pool (see import-memory). */
  memory?: Omit<MemoryImportPlan, "bytes">;
  /** Present when an instance of it can be reset to fresh and reused (see reusable-core). */
  state?: InstanceStateExports;
  /** Its code may change a table after instantiation (see table-writes). */
  writesTables: boolean;
  /** One instance of it can serve every instantiation (see stateless-core). */
  stateless: boolean;
}

/** Bumped when what the cache folder holds changes. */
const CACHE_FORMAT = "4";

/**
 * The glue comes from jco 1.12 (installed as `jco-sync-glue`), pinned on purpose. From jco 1.15 (and every jco-transpile) the
 * sync glue builds the component-model-async runtime (task objects, generators, debug hooks)
 * inside each instantiation and around each host call: measured here, a hello component went
 * from ~6,300 to ~640 requests/s and the http-ts hello from ~540 to ~87. Wisp instantiates per
 * request, so that cost is the whole budget. Re-measure (`npm run bench`) before moving it.
 */
const GLUE_GENERATOR = "jco-sync-glue";

/** Part of the cache key: new glue for a new jco. (Its package.json is not exported, so read it by path.) */
const JCO_VERSION: string = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.resolve(GLUE_GENERATOR)), "utf8"),
).version;

/**
 * Turns a component into jco "sync instantiation" glue plus core modules, cached under
 * `cacheDir/<sha256>` (transpiling a 13 MB component takes about a second, so `wisp up` does it
 * once per content). An import Wisp does not serve fails here, at start, not on the first request.
 * The glue takes the host's imports and an `instantiateCore` hook per
 * instantiation, which is where Wisp injects pooled memories.
 */
export async function prepareComponent(bytes: Uint8Array, cacheDir: string, served: ReadonlySet<string>): Promise<PreparedComponent> {
  const versioned = [...served].filter((name) => name.includes("@")).sort();
  const digest = createHash("sha256").update(bytes).update(JCO_VERSION).update(CACHE_FORMAT).update(versioned.join(",")).digest("hex");
  const dir = join(cacheDir, digest);
  const glueFile = join(dir, "guest.mjs");
  if (!(await exists(glueFile))) await transpileInto(bytes, dir, versioned);
  const imports: string[] = JSON.parse(await readFile(join(dir, "imports.json"), "utf8"));
  const missing = imports.filter((name) => !served.has(name));
  if (missing.length > 0) {
    throw new WispError("COMPONENT_LINK", `it imports ${missing.join(", ")}, which Wisp does not provide`,
      "build it against wasi:http/proxy 0.2 plus the host interfaces Wisp serves (README, Capabilities: fermyon:spin@2.0.0, spin:sqlite@3.0.0, spin:postgres@3.0.0 and @4.0.0, wasi:keyvalue, wasi:config)");
  }
  const names = (await readdir(dir)).filter((f) => f.endsWith(".wasm")).sort();
  const tableWriters: string[] = JSON.parse(await readFile(join(dir, "table-writers.json"), "utf8"));
  const cores: PreparedCore[] = [];
  for (const name of names) {
    const { bytes: rewritten, ...core } = rewriteCore(name, new Uint8Array(await readFile(join(dir, name))), tableWriters.includes(name));
    cores.push({ ...core, module: await WebAssembly.compile(rewritten) });
  }
  return { glueFile, cores, imports };
}

/**
 * A core as Wisp instantiates it: its defined memory turned into an import of Wisp's pool (only a
 * memory the core defines is Wisp's to supply; one it imports belongs to another core instance of
 * the same component, as the preview1 adapter shares the main module's memory), and its state
 * exported when an instance can be reset to fresh (see export-instance-state).
 */
export function rewriteCore(name: string, original: Uint8Array<ArrayBuffer>, writesTables: boolean): Omit<PreparedCore, "module"> & { bytes: Uint8Array<ArrayBuffer> } {
  const rewritten = importDefinedMemory(original);
  const plan = rewritten && rewritten.slot.module === MEMORY_IMPORT.module ? rewritten : undefined;
  if (!plan) return { name, bytes: original, writesTables, stateless: isStatelessCore(original) };
  const memory = { slot: plan.slot, shape: plan.shape };
  const state = exportInstanceState(plan.bytes, { tablesChange: writesTables });
  if (!state) return { name, bytes: plan.bytes, writesTables, stateless: false, memory };
  return { name, bytes: state.bytes, writesTables, stateless: false, memory, state: { globals: state.globals, tables: state.tables } };
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
async function transpileInto(bytes: Uint8Array, dir: string, versioned: readonly string[]): Promise<void> {
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
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith(".d.ts")) continue;
    await writeFile(join(staging, name.endsWith(".js") ? "guest.mjs" : name), content);
  }
  await writeFile(join(staging, "imports.json"), JSON.stringify(imports));
  // The cores that may change a table after instantiation (decoding a 13 MB core takes ~0.5 s: once, here).
  const tableWriters = Object.entries(files).filter(([name, content]) => name.endsWith(".wasm") && writesTables(content)).map(([name]) => name);
  await writeFile(join(staging, "table-writers.json"), JSON.stringify(tableWriters));
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}
