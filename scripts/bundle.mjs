// Packs tsc's dist/ into bundle/, which the `wisp` command runs. On Node 20 every module costs a
// resolve, a file read and a compile when it loads: the server's ~150 modules took a third of a
// cold start on the main thread, and as much again on each worker thread. The bundle keeps each
// entry of src/code-location.ts at its path (worker threads and child processes start from them)
// and splits what they share into chunks. The small libraries every start loads go in too (zod
// alone is ~80 files); the other dependencies stay in node_modules.
import { build } from "esbuild";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { ENTRY_MODULES } = await import(join(root, "dist/code-location.js"));
const { dependencies } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const INLINED = new Set(["commander", "smol-toml", "zod", "picomatch"]);

rmSync(join(root, "bundle"), { recursive: true, force: true });
await build({
  entryPoints: Object.values(ENTRY_MODULES).map((path) => join(root, "dist", path)),
  outbase: join(root, "dist"),
  outdir: join(root, "bundle"),
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Small pure-JS libraries on the start path go in; the rest (native, wasm, large or lazily loaded) stays out.
  external: Object.keys(dependencies).filter((name) => !INLINED.has(name)),
  // The inlined CommonJS (commander) requires Node's built-ins: give the ES chunks a require.
  banner: { js: 'import { createRequire as __wispRequire } from "node:module"; const require = __wispRequire(import.meta.url);' },
  logLevel: "warning",
});
