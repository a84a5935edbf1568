import { createHash } from "node:crypto";
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { WispError } from "../../errors/wisp-error.js";
import { compileFile } from "../wasm/compile-file.js";
import type { InstanceStateExports } from "../wasm/export-instance-state.js";
import type { MemoryImportPlan } from "../wasm/import-memory.js";
import { glueGeneratorVersion, transpileInProcess } from "./transpile-component.js";

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
  /** Present when an instance of it can be reset to fresh and reused (see reusable-core; without `memory`, kept-core). */
  state?: InstanceStateExports;
  /** Its code may change a table after instantiation (see table-writes). */
  writesTables: boolean;
  /** One instance of it can serve every instantiation (see stateless-core). */
  stateless: boolean;
}

/** What the cache folder says of each core, in this file (the cores themselves are stored rewritten, see rewrite-core). */
export const CORES_FILE = "cores.json";

export type CoreDescription = Omit<PreparedCore, "module">;

/** A component's bytes whose sha256 is known without reading them (a warm start need not read 13 MB). */
export interface KnownContent {
  /** The hex sha256 of the bytes `read` gives. */
  digest: string;
  read(): Promise<Uint8Array>;
}

/** Bumped when what the cache folder holds changes (10: cores validated before they are stored, see transpileInto). */
const CACHE_FORMAT = "11";

/**
 * Turns a component into jco "sync instantiation" glue plus core modules, cached under
 * `cacheDir/<sha256>` (transpiling a 13 MB component takes about a second, so `wisp up` does it
 * once per content). An import Wisp does not serve fails here, at start, not on the first request.
 * The glue takes the host's imports and an `instantiateCore` hook per
 * instantiation, which is where Wisp injects pooled memories. `onGlue` hears of the glue as soon
 * as it is on disk and linked, before the cores compile (the workers may import it meanwhile).
 */
export async function prepareComponent(
  content: KnownContent,
  cacheDir: string,
  served: ReadonlySet<string>,
  { onGlue }: { onGlue?: (glueFile: string) => void } = {},
): Promise<PreparedComponent> {
  const versioned = [...served].filter((name) => name.includes("@")).sort();
  const digest = createHash("sha256")
    .update(content.digest)
    .update(glueGeneratorVersion())
    .update(CACHE_FORMAT)
    .update(versioned.join(","))
    .digest("hex");
  const dir = join(cacheDir, digest);
  const glueFile = join(dir, "guest.mjs");
  if (!(await exists(glueFile))) await transpileInProcess(await content.read(), dir, versioned);
  const imports = JSON.parse(await readFile(join(dir, "imports.json"), "utf8")) as string[];
  const missing = imports.filter((name) => !served.has(name));
  if (missing.length > 0) {
    throw new WispError(
      "COMPONENT_LINK",
      `it imports ${missing.join(", ")}, which Wisp does not provide`,
      "build it against wasi:http/proxy 0.2 plus the host interfaces Wisp serves (README, Capabilities: fermyon:spin@2.0.0, spin:sqlite@3.0.0, spin:postgres@3.0.0 and @4.0.0, wasi:keyvalue, wasi:config)",
    );
  }
  onGlue?.(glueFile);
  // The cores are stored already rewritten (see rewriteCore) and validated (see transpileInto): a start only reads and compiles them.
  const described = JSON.parse(await readFile(join(dir, CORES_FILE), "utf8")) as CoreDescription[];
  const cores: PreparedCore[] = [];
  for (const core of described)
    cores.push({ ...core, module: await compileFile(join(dir, core.name), { validated: true }) });
  return { glueFile, cores, imports };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
