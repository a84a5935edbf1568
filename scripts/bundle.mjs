// Packs tsc's dist/ into bundle/, which the `wisp` command runs. On Node 20 every module costs a
// resolve, a file read and a compile when it loads: the server's ~150 modules took a third of a
// cold start on the main thread, and as much again on each worker thread. The bundle keeps each
// entry of src/code-location.ts at its path (worker threads and child processes start from them)
// and splits what they share into chunks; dependencies stay in node_modules.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { ENTRY_MODULES } = await import(join(root, "dist/code-location.js"));

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
  packages: "external",
  logLevel: "warning",
});
