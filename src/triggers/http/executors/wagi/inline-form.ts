import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { InstanceStateExports } from "../../../../engine/wasm/export-instance-state.js";
import type { MemoryImportPlan } from "../../../../engine/wasm/import-memory.js";

/**
 * Bumped whenever the rewrites below change what they produce (import-memory,
 * export-instance-state, table-writes, meter-fuel): a cached form is trusted as it is.
 */
const FORM_VERSION = "2";

/** A WAGI module as the main thread runs it: metered, exporting its state, taking a pooled memory. */
export interface InlineForm {
  bytes: Uint8Array<ArrayBuffer>;
  state: InstanceStateExports;
  memory: Pick<MemoryImportPlan, "slot" | "shape">;
}

type Described = { inline: false } | { inline: true; state: InstanceStateExports; memory: InlineForm["memory"] };

/**
 * The module's inline form, or undefined when it cannot run inline, cached in `cacheDir` by the
 * module's digest (its hex sha256, which the start has taken already). Decoding every instruction
 * to meter it, and loading the decoder, was a large part of a WAGI app's start (BENCHMARKS.md); a
 * start with the form cached reads two small files.
 */
export async function inlineForm(
  module: Uint8Array<ArrayBuffer>,
  digest: string,
  cacheDir: string,
): Promise<InlineForm | undefined> {
  const base = join(cacheDir, `${digest}-v${FORM_VERSION}`);
  const cached = await readForm(base);
  if (cached !== null) return cached;
  const form = await rewrite(module);
  // Caching is an optimisation: a cache folder that cannot be written only costs the next start.
  await writeForm(base, form).catch(() => undefined);
  return form;
}

async function rewrite(module: Uint8Array<ArrayBuffer>): Promise<InlineForm | undefined> {
  const [{ importDefinedMemory }, { exportInstanceState }, { writesTables }, { meterFuel }] = await Promise.all([
    import("../../../../engine/wasm/import-memory.js"),
    import("../../../../engine/wasm/export-instance-state.js"),
    import("../../../../engine/wasm/table-writes.js"),
    import("../../../../engine/wasm/meter-fuel.js"),
  ]);
  const memory = importDefinedMemory(module);
  if (!memory) return undefined;
  const state = exportInstanceState(memory.bytes, { tablesChange: writesTables(memory.bytes) });
  const metered = state && meterFuel(state.bytes);
  if (!state || !metered) return undefined;
  return {
    bytes: metered,
    state: { globals: state.globals, tables: state.tables },
    memory: { slot: memory.slot, shape: memory.shape },
  };
}

/** The cached form; undefined when the module is known not to run inline; null when nothing usable is cached. */
async function readForm(base: string): Promise<InlineForm | undefined | null> {
  try {
    const described = JSON.parse(await readFile(`${base}.json`, "utf8")) as Described;
    if (!described.inline) return undefined;
    return { bytes: new Uint8Array(await readFile(`${base}.wasm`)), state: described.state, memory: described.memory };
  } catch {
    return null;
  }
}

/** The module first, then its description: a description on disk means its module is whole. */
async function writeForm(base: string, form: InlineForm | undefined): Promise<void> {
  const described: Described = form ? { inline: true, state: form.state, memory: form.memory } : { inline: false };
  await mkdir(join(base, ".."), { recursive: true });
  if (form) await atomicWrite(`${base}.wasm`, form.bytes);
  await atomicWrite(`${base}.json`, JSON.stringify(described));
}

async function atomicWrite(file: string, content: Uint8Array | string): Promise<void> {
  await writeFile(`${file}.${process.pid}.part`, content);
  await rename(`${file}.${process.pid}.part`, file);
}
