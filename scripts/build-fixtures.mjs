#!/usr/bin/env node
// Rebuilds every guest fixture under test/fixtures/guests into test/fixtures/.build/NAME.wasm.
// One recipe per source kind; a content hash skips what is already built. Names given as
// arguments (`node scripts/build-fixtures.mjs wagi-hello http-hello`) build only those.
//   NAME.wat           -> wabt
//   NAME.c             -> Debian clang --target=wasm32-wasi (+ wasi-libc), a WASI preview1 module
//   NAME.as.ts         -> AssemblyScript with @assemblyscript/wasi-shim
//   NAME.component.js  -> componentize-js, a wasi:http/incoming-handler component (needs `npm run build`)
//   NAME.component.wat -> wabt + wasm-tools component new: a canonical-ABI core module made a wasi:http component
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sourceDir = join(root, "test/fixtures/guests");
const outDir = join(root, "test/fixtures/.build");
mkdirSync(outDir, { recursive: true });

const recipes = [
  // What Wisp's JS build puts into a component besides the source (the SDK, the response body guard) is part of its hash.
  { suffix: ".component.js", build: componentizeJs, inputs: ["sdk", "dist/toolchain/js"] },
  { suffix: ".component.wat", build: watComponent },
  { suffix: ".as.ts", build: assemblyScript },
  { suffix: ".wat", build: wat },
  { suffix: ".c", build: clangWasi },
];

async function watComponent(source, out) {
  const wabt = await (await import("wabt")).default();
  const core = wabt.parseWat(source, readFileSync(source, "utf8"), { multi_value: true }).toBinary({}).buffer;
  const { componentFromCore, HTTP_PROXY_WORLD } = await import(join(root, "dist/toolchain/component/component-from-core.js"));
  writeFileSync(out, await componentFromCore(core, HTTP_PROXY_WORLD, "http-proxy"));
}

async function wat(source, out) {
  const wabt = await (await import("wabt")).default();
  const module = wabt.parseWat(source, readFileSync(source, "utf8"), { multi_value: true, bulk_memory: true, reference_types: true });
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
  execFileSync(join(root, "node_modules/.bin/asc"), [source, ...flags, "-O2", "-o", out], { stdio: "inherit", cwd: root });
}

async function componentizeJs(source, out) {
  const { componentizeHttpHandler } = await import(join(root, "dist/toolchain/js/componentize.js"));
  await componentizeHttpHandler(source, out);
}

const toolHash = createHash("sha256").update(readFileSync(fileURLToPath(import.meta.url))).digest("hex");

/** Feeds every file under `dirs` (relative to the root), in a stable order, into `hash`. */
function hashInputs(hash, dirs = []) {
  for (const dir of dirs) {
    const files = readdirSync(join(root, dir), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    for (const file of files.map((entry) => join(entry.parentPath, entry.name)).sort()) hash.update(relative(root, file)).update(readFileSync(file));
  }
  return hash;
}
const only = new Set(process.argv.slice(2));
const sources = readdirSync(sourceDir).sort().flatMap((file) => {
  const recipe = recipes.find((r) => file.endsWith(r.suffix));
  return recipe ? [{ file, recipe, name: file.slice(0, -recipe.suffix.length) }] : [];
});
const unknown = [...only].filter((name) => !sources.some((s) => s.name === name));
if (unknown.length) {
  console.error(`no fixture named ${unknown.join(", ")} in test/fixtures/guests`);
  process.exit(2);
}
let failed = 0;
for (const { file, recipe, name } of sources) {
  if (only.size > 0 && !only.has(name)) continue;
  const source = join(sourceDir, file);
  const out = join(outDir, `${name}.wasm`);
  const stamp = join(outDir, `${name}.hash`);
  const hash = hashInputs(createHash("sha256").update(toolHash), recipe.inputs).update(readFileSync(source)).digest("hex");
  if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, "utf8") === hash) continue;
  const started = Date.now();
  try {
    await recipe.build(source, out);
    writeFileSync(stamp, hash);
    console.log(`fixture ${file} -> .build/${name}.wasm (${Date.now() - started} ms)`);
  } catch (error) {
    failed++;
    console.error(`fixture ${file} failed: ${error.message}`);
  }
}
if (failed) process.exit(1);
