#!/usr/bin/env node
// Rebuilds every guest fixture under test/fixtures/guests into test/fixtures/.build/NAME.wasm.
// One recipe per source kind; a content hash skips what is already built. Names given as
// arguments (`node scripts/build-fixtures.mjs wagi-hello http-hello`) build only those. Stale
// fixtures build in parallel, one child process each (most recipes are single-threaded and
// blocking): as many at once as the machine has cores, or WISP_FIXTURE_JOBS.
//   NAME.wat           -> wabt
//   NAME.c             -> Debian clang --target=wasm32-wasi (+ wasi-libc), a WASI preview1 module
//   NAME.as.ts         -> AssemblyScript with @assemblyscript/wasi-shim
//   NAME.component.js  -> componentize-js, a wasi:http/incoming-handler component (needs `npm run build`)
//   NAME.component.wat -> wabt + wasm-tools component new: a canonical-ABI core module made a wasi:http component
//   NAME.component.c   -> Debian clang --target=wasm32, no libc, + wasm-tools component new: the same, in C
//   NAME.embedded.wat  -> wabt + wasm-tools component embed: a core module carrying its component type (as Spin's SDKs build)
import { createHash } from "node:crypto";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sourceDir = join(root, "test/fixtures/guests");
const outDir = join(root, "test/fixtures/.build");
mkdirSync(outDir, { recursive: true });

const recipes = [
  // What Wisp's JS build puts into a component besides the source (the SDK, the response body guard) is part of its hash.
  // Every world is built with wit/'s packages beside it (see writeWitFolder): they are part of the hash too.
  { suffix: ".component.js", build: componentizeJs, inputs: ["sdk", "dist/toolchain/js", "wit"] },
  { suffix: ".component.wat", build: watComponent, inputs: ["wit"] },
  { suffix: ".component.c", build: cComponent, inputs: ["wit"] },
  { suffix: ".embedded.wat", build: watEmbedded, inputs: ["wit"] },
  { suffix: ".as.ts", build: assemblyScript },
  { suffix: ".wat", build: wat },
  { suffix: ".c", build: clangWasi },
];

async function watComponent(source, out) {
  const { componentFromCore } = await componentTools();
  const { world, worldName } = await fixtureWorld(source);
  writeFileSync(out, await componentFromCore(await watCore(source), world, worldName));
}

async function cComponent(source, out) {
  const { componentFromCore } = await componentTools();
  const { world, worldName } = await fixtureWorld(source);
  const core = `${out}.core.wasm`;
  // Freestanding: the module's only imports are the world's (by import_module/import_name), its
  // exports the handler, cabi_realloc and its memory.
  execFileSync(
    "clang",
    ["--target=wasm32", "-O2", "-ffreestanding", "-nostdlib", "-Wl,--no-entry", "-o", core, source],
    { stdio: "inherit" },
  );
  writeFileSync(out, await componentFromCore(readFileSync(core), world, worldName));
  rmSync(core);
}

async function watEmbedded(source, out) {
  const { embedComponentType } = await componentTools();
  const { world, worldName } = await fixtureWorld(source);
  writeFileSync(out, await embedComponentType(await watCore(source), world, worldName));
}

/** The world a WAT fixture is built for: its own NAME.world.wit beside it, else wasi:http's proxy. */
async function fixtureWorld(source) {
  const worldFile = worldFileOf(source);
  const world = existsSync(worldFile) ? readFileSync(worldFile, "utf8") : (await componentTools()).HTTP_PROXY_WORLD;
  return { world, worldName: /^world\s+([a-z0-9-]+)/m.exec(world)[1] };
}

function worldFileOf(source) {
  return source.replace(/\.(embedded|component)\.(wat|c)$/, ".world.wit");
}

/** A canonical-ABI core module from its WAT (for the two recipes above). */
async function watCore(source) {
  const wabt = await (await import("wabt")).default();
  return wabt.parseWat(source, readFileSync(source, "utf8"), { multi_value: true, bulk_memory: true }).toBinary({})
    .buffer;
}

/** Wisp's own wasm-tools steps (needs `npm run build`). */
function componentTools() {
  return import(join(root, "dist/toolchain/component/component-from-core.js"));
}

async function wat(source, out) {
  const wabt = await (await import("wabt")).default();
  const module = wabt.parseWat(source, readFileSync(source, "utf8"), {
    multi_value: true,
    bulk_memory: true,
    reference_types: true,
  });
  // Keep the names: a trap's wasm backtrace then shows `$explode`, not `wasm-function[1]`.
  module.resolveNames();
  writeFileSync(out, Buffer.from(module.toBinary({ write_debug_names: true }).buffer));
}

async function clangWasi(source, out) {
  execFileSync("clang", ["--target=wasm32-wasi", "-O2", "-o", out, source], { stdio: "inherit" });
}

async function assemblyScript(source, out) {
  // The shim's own asconfig.json says which lib and `use` aliases WASI needs; pass them as flags
  // (asc resolves an extended config's lib path against the wrong folder, and silently ignores an
  // absolute --lib path, so the lib is given relative to the repository root we run asc in).
  const shim = "node_modules/@assemblyscript/wasi-shim";
  const { options } = JSON.parse(readFileSync(join(root, shim, "asconfig.json"), "utf8"));
  const flags = ["--lib", join(shim, options.lib), "--exportStart", options.exportStart];
  for (const use of options.use) flags.push("--use", use);
  execFileSync(join(root, "node_modules/.bin/asc"), [source, ...flags, "-O2", "-o", out], {
    stdio: "inherit",
    cwd: root,
  });
}

async function componentizeJs(source, out) {
  const { componentizeHttpHandler } = await import(join(root, "dist/toolchain/js/componentize.js"));
  await componentizeHttpHandler(source, out);
}

const toolHash = createHash("sha256")
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .digest("hex");

/** Feeds every file under `dirs` (relative to the root), in a stable order, into `hash`. */
function hashInputs(hash, dirs = []) {
  for (const dir of dirs) {
    const files = readdirSync(join(root, dir), { recursive: true, withFileTypes: true }).filter((entry) =>
      entry.isFile(),
    );
    for (const file of files.map((entry) => join(entry.parentPath, entry.name)).sort())
      hash.update(relative(root, file)).update(readFileSync(file));
  }
  return hash;
}
const only = new Set(process.argv.slice(2));
const sources = readdirSync(sourceDir)
  .sort()
  .flatMap((file) => {
    const recipe = recipes.find((r) => file.endsWith(r.suffix));
    return recipe ? [{ file, recipe, name: file.slice(0, -recipe.suffix.length) }] : [];
  });
const unknown = [...only].filter((name) => !sources.some((s) => s.name === name));
if (unknown.length) {
  console.error(`no fixture named ${unknown.join(", ")} in test/fixtures/guests`);
  process.exit(2);
}
const upToDate = ({ file, recipe, name }) => {
  const stamp = join(outDir, `${name}.hash`);
  return (
    existsSync(join(outDir, `${name}.wasm`)) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8") === fixtureHash(recipe, file)
  );
};
// The slowest recipes (componentize) come first in `recipes`: started first, they overlap best.
const stale = sources
  .filter((source) => (only.size === 0 || only.has(source.name)) && !upToDate(source))
  .sort((a, b) => recipes.indexOf(a.recipe) - recipes.indexOf(b.recipe));

function fixtureHash(recipe, file) {
  const hash = hashInputs(createHash("sha256").update(toolHash), recipe.inputs).update(
    readFileSync(join(sourceDir, file)),
  );
  // A fixture's own world (see fixtureWorld) is part of what it is built from.
  const worldFile = join(sourceDir, worldFileOf(file));
  if (worldFile.endsWith(".world.wit") && existsSync(worldFile)) hash.update(readFileSync(worldFile));
  return hash.digest("hex");
}

/** Builds one fixture in this process. */
async function build({ file, recipe, name }) {
  const started = Date.now();
  try {
    await recipe.build(join(sourceDir, file), join(outDir, `${name}.wasm`));
    writeFileSync(join(outDir, `${name}.hash`), fixtureHash(recipe, file));
    console.log(`fixture ${file} -> .build/${name}.wasm (${Date.now() - started} ms)`);
    return true;
  } catch (error) {
    console.error(`fixture ${file} failed: ${error.message}`);
    return false;
  }
}

/** Builds one fixture in a child process (this script, given its name), so that builds overlap. */
function buildApart({ name }) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), name], { stdio: "inherit" });
    child.on("error", () => resolve(false));
    child.on("exit", (code) => resolve(code === 0));
  });
}

const jobs = Math.max(1, Number(process.env.WISP_FIXTURE_JOBS) || availableParallelism());
let failed = 0;
if (stale.length === 1 || jobs === 1) {
  for (const source of stale) if (!(await build(source))) failed++;
} else {
  const queue = [...stale];
  const next = async () => {
    for (let source = queue.shift(); source; source = queue.shift()) if (!(await buildApart(source))) failed++;
  };
  await Promise.all(Array.from({ length: Math.min(jobs, stale.length) }, next));
}
if (failed) process.exit(1);
