import { createHash } from "node:crypto";
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { WispError } from "../../errors/wisp-error.js";
import { compileFile } from "../wasm/compile-file.js";
import type { InstanceStateExports } from "../wasm/export-instance-state.js";
import type { MemoryImportPlan } from "../wasm/import-memory.js";
import { readComponentWorld, type ComponentWorld } from "./component-world.js";
import { glueMap, serves, splitVersion, versionedGlueNames, type ServedInterfaces } from "./served-interfaces.js";
import { glueGeneratorVersion, transpileInProcess, type GlueKind, type SuspendingGlue } from "./transpile-component.js";

/** A component ready for the workers: jco's glue on disk and its core modules compiled once. */
export interface PreparedComponent {
  /** Absolute path of the generated ES module exporting `instantiate` (`.mjs`: the cache folder has no package.json). */
  glueFile: string;
  cores: PreparedCore[];
  /** The interfaces it imports, unversioned as the glue names them (but those of versionedGlueNames). */
  imports: string[];
  /** Its own imports and exports with their versions (`wasi:http/types@0.2.0`). */
  world: ComponentWorld;
  /**
   * Which glue `glueFile` is: `instantiate` returns the exports (sync, suspending: whose handler
   * then answers a promise) or a promise of them (async, see GlueKind).
   */
  glue: GlueKind;
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

/** Bumped when what the cache folder holds changes (15: the async glue's tick loop prompt, see prompt-ticks). */
const CACHE_FORMAT = "15";

/** Where the cache folder keeps the component's imports and exports with their versions (see readComponentWorld). */
export const WORLD_FILE = "world.json";

/**
 * Turns a component into jco "sync instantiation" glue plus core modules, cached under
 * `cacheDir/<sha256>` (transpiling a 13 MB component takes about a second, so `wisp up` does it
 * once per content). An import Wisp does not serve, in name or version, fails here, at start, not
 * on the first request.
 * The glue takes the host's imports and an `instantiateCore` hook per
 * instantiation, which is where Wisp injects pooled memories. `onGlue` hears of the glue as soon
 * as it is on disk and linked, before the cores compile (the workers may import it meanwhile).
 */
export async function prepareComponent(
  content: KnownContent,
  cacheDir: string,
  served: ServedInterfaces,
  {
    onGlue,
    glueNames = [],
    glueAliases = {},
    glue = "sync",
    suspending,
  }: {
    onGlue?: (glueFile: string) => void;
    /** Imports (`name@version`) the host serves with objects of their own, beside versionedGlueNames. */
    glueNames?: readonly string[];
    /** Imports the host serves under another name (jco's `map`: exact import names to host names). */
    glueAliases?: Readonly<Record<string, string>>;
    /** The glue to translate it into: `async` for a component that uses the async ABI (WASI 0.3), `suspending` for one whose waits suspend. */
    glue?: GlueKind;
    /** For `suspending` glue: what suspends (see SuspendingGlue). */
    suspending?: SuspendingGlue;
  } = {},
): Promise<PreparedComponent> {
  const versioned = [...new Set([...versionedGlueNames(served), ...glueNames])].sort();
  const map = { ...glueMap(versioned), ...glueAliases };
  const digest = createHash("sha256")
    .update(content.digest)
    .update(glue)
    .update(glueGeneratorVersion(glue))
    .update(CACHE_FORMAT)
    .update(JSON.stringify(Object.entries(map).sort()))
    .update(JSON.stringify(suspending ?? null))
    .digest("hex");
  const dir = join(cacheDir, digest);
  const glueFile = join(dir, "guest.mjs");
  let world: ComponentWorld;
  if (await exists(glueFile)) {
    world = JSON.parse(await readFile(join(dir, WORLD_FILE), "utf8")) as ComponentWorld;
    checkImports(world, served);
  } else {
    // Its imports are checked before it is translated: a version jco's glue cannot translate either (wasi:http 0.3) is named as such.
    const bytes = await content.read();
    world = readWorld(bytes);
    checkImports(world, served);
    await transpileInProcess(bytes, dir, map, glue, suspending);
  }
  const imports = JSON.parse(await readFile(join(dir, "imports.json"), "utf8")) as string[];
  onGlue?.(glueFile);
  // The cores are stored already rewritten (see rewriteCore) and validated (see transpileInto): a start only reads and compiles them.
  const described = JSON.parse(await readFile(join(dir, CORES_FILE), "utf8")) as CoreDescription[];
  const cores: PreparedCore[] = [];
  for (const core of described)
    cores.push({ ...core, module: await compileFile(join(dir, core.name), { validated: true }) });
  return { glueFile, cores, imports, world, glue };
}

/** Refuses a component that imports what `served` does not serve, in name or version, naming each. */
function checkImports(world: ComponentWorld, served: ServedInterfaces): void {
  const unserved = world.imports.filter((name) => !serves(served, name));
  if (unserved.length === 0) return;
  throw new WispError(
    "COMPONENT_LINK",
    `it imports ${unserved.map((name) => describeUnserved(name, served)).join("; ")}`,
    "build it against wasi:http/proxy 0.2 plus the host interfaces Wisp serves (README, Capabilities: fermyon:spin@2.0.0, spin:sqlite@3.0.0, spin:postgres@3.0.0 and @4.0.0, wasi:keyvalue, wasi:config)",
  );
}

/** The component's world, or a user error for bytes that are not a component Wisp can read. */
function readWorld(bytes: Uint8Array): ComponentWorld {
  try {
    return readComponentWorld(bytes);
  } catch (error) {
    throw new WispError(
      "COMPONENT_LINK",
      `cannot translate the component: its imports and exports cannot be read (${(error as Error).message})`,
      "check it is a valid WebAssembly component (wasm-tools validate); Wisp serves wasi:http 0.2 components",
    );
  }
}

/** An import Wisp does not serve, and what it serves of that interface. */
function describeUnserved(imported: string, served: ServedInterfaces): string {
  const { name, version } = splitVersion(imported);
  const offered = served.get(name);
  const what = version === "" ? `${name} (with no version)` : imported;
  if (!offered) return `${what}, which Wisp does not provide`;
  const versions = offered.map(servedRange);
  const listed = versions.length > 1 ? `${versions.slice(0, -1).join(", ")} and ${versions.at(-1)}` : versions[0];
  return `${what}, a version Wisp does not serve (it serves ${name} at ${listed})`;
}

/** A served version as the imports it serves: `0.2.x` for 0.2.0 (see serves), a prerelease as itself. */
function servedRange(version: string): string {
  if (version === "") return "no version";
  const release = /^(\d+)\.(\d+)\.\d+$/.exec(version);
  if (!release) return version;
  return release[1] === "0" ? `0.${release[2]}.x` : `${release[1]}.x`;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
