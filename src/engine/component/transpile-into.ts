import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { WispError } from "../../errors/wisp-error.js";
import { assertValidWasm } from "../wasm/compile.js";
import { writesTables } from "../wasm/table-writes.js";
import { withModuleHandleSymbol } from "./module-handle-symbol.js";
import { withPlainInit } from "./plain-init.js";
import { withResourceDrops } from "./resource-drops.js";
import { withPromptTicks } from "./prompt-ticks.js";
import { readComponentWorld } from "./component-world.js";
import { CORES_FILE, WORLD_FILE, type CoreDescription } from "./prepare-component.js";
import { rewriteCore } from "./rewrite-core.js";
import { ASYNC_GLUE_GENERATOR, GLUE_GENERATOR, type GlueKind, type SuspendingGlue } from "./transpile-component.js";

// The translating process's side of transpileInProcess: jco and the cores' rewrites (wasmparser)
// load there, never in the server.

/** jco's `transpile` (jco-transpile's `transpileBytes`) as Wisp calls it (their own declarations type the options loosely). */
type Transpile = (
  bytes: Uint8Array,
  options: {
    name: string;
    instantiation: "sync" | "async";
    asyncMode?: "jspi";
    asyncImports?: string[];
    asyncExports?: string[];
    base64Cutoff: number;
    noTypescript: boolean;
    map: Readonly<Record<string, string>>;
  },
) => Promise<{ files: Record<string, Uint8Array>; imports: string[] }>;

/**
 * jco's generator for the glue kind: jco 1.12's synchronous instantiation (suspending glue too),
 * or jco-transpile's asynchronous one, whose `instantiate` returns a promise and whose async
 * imports and exports (WASI 0.3) suspend on JSPI.
 */
async function generator(glue: GlueKind): Promise<{ transpile: Transpile; instantiation: "sync" | "async" }> {
  if (glue !== "async") {
    const { transpile } = (await import(GLUE_GENERATOR)) as unknown as { transpile: Transpile };
    return { transpile, instantiation: "sync" };
  }
  const { transpileBytes } = (await import(ASYNC_GLUE_GENERATOR)) as unknown as { transpileBytes: Transpile };
  return { transpile: transpileBytes, instantiation: "async" };
}

/**
 * Translates a component into `dir`. jco names an import without its version, so two versions of
 * one interface would reach the same host object: `map` names the host object of each import
 * that has one of its own (see prepareComponent).
 */
export async function transpileInto(
  bytes: Uint8Array,
  dir: string,
  map: Readonly<Record<string, string>>,
  glue: GlueKind = "sync",
  suspending?: SuspendingGlue,
): Promise<void> {
  const { transpile, instantiation } = await generator(glue);
  if (glue === "suspending" && !suspending) throw new Error("a suspending glue is made with the imports that suspend");
  if (glue === "sync" && suspending) throw new Error("a synchronous glue has no imports that suspend");
  let files: Record<string, Uint8Array>;
  let imports: string[];
  try {
    ({ files, imports } = await transpile(bytes, {
      name: "guest",
      instantiation,
      ...(glue === "async" ? { asyncMode: "jspi" as const } : {}),
      ...(suspending
        ? { asyncMode: "jspi" as const, asyncImports: [...suspending.imports], asyncExports: [...suspending.exports] }
        : {}),
      base64Cutoff: 0,
      noTypescript: true,
      map,
    }));
  } catch (error) {
    throw new WispError(
      "COMPONENT_LINK",
      `cannot translate the component: ${(error as Error).message ?? String(error)}`,
      "check it is a valid WebAssembly component (wasm-tools validate); Wisp serves wasi:http 0.2 and 0.3 components",
    );
  }
  // Write to a temporary folder, then rename: a half-written cache entry is never used.
  const staging = `${dir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const cores: CoreDescription[] = [];
  for (const [name, content] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (name.endsWith(".d.ts")) continue;
    if (name.endsWith(".js")) {
      // Each glue has rewrites of its own: they fix and speed up what its generator writes.
      const text = new TextDecoder().decode(content);
      await writeFile(
        join(staging, "guest.mjs"),
        glue === "async" ? withPromptTicks(text) : withModuleHandleSymbol(withPlainInit(withResourceDrops(text))),
      );
      continue;
    }
    if (!name.endsWith(".wasm")) {
      await writeFile(join(staging, name), content);
      continue;
    }
    // Whether the core may change a table after instantiation: decoding a big core is slow, so once, here.
    const original = new Uint8Array(content);
    const { bytes: rewritten, ...core } = rewriteCore(name, original, writesTables(content));
    // Validated in full once, here: each start compiles the stored cores without validating them again (see compileWasm).
    try {
      assertValidWasm(rewritten);
    } catch (error) {
      if (WebAssembly.validate(original))
        throw new Error(
          `Wisp's rewrite of the core module ${name} does not validate (${(error as Error).message}); please report this`,
          { cause: error },
        );
      throw new WispError(
        "COMPONENT_INVALID_WASM",
        `its core module ${name} is not valid WebAssembly: ${(error as Error).message}`,
        "rebuild the component; `wasm-tools validate` shows the same error",
      );
    }
    await writeFile(join(staging, name), rewritten);
    cores.push(core);
  }
  await writeFile(join(staging, "imports.json"), JSON.stringify(imports));
  let world;
  try {
    world = readComponentWorld(bytes);
  } catch (error) {
    // jco read the component already: a failure here is Wisp's reader's.
    throw new Error(
      `Wisp could not read the component's imports and exports (${(error as Error).message}); please report this`,
      {
        cause: error,
      },
    );
  }
  await writeFile(join(staging, WORLD_FILE), JSON.stringify(world));
  await writeFile(join(staging, CORES_FILE), JSON.stringify(cores));
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
}
