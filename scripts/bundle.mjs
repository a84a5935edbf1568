// Packs tsc's dist/ into bundle/, which the `wisp` command runs. Every module costs a
// resolve, a file read and a compile when it loads: the server's ~150 modules took a third of a
// cold start on the main thread, and as much again on each worker thread. The bundle keeps each
// entry of src/bundle-entries.ts at its path (worker threads and child processes start from
// them) and splits what the entries of one kind of thread share into chunks (below). The small
// libraries every start loads go in too (zod alone is ~80 files); the other dependencies stay in
// node_modules.
import { build } from "esbuild";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { BUNDLE_ENTRIES } = await import(join(root, "dist/bundle-entries.js"));
const { dependencies } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const INLINED = new Set(["commander", "smol-toml", "zod", "picomatch"]);

rmSync(join(root, "bundle"), { recursive: true, force: true });
// Two builds, one per kind of thread: the server's main thread (the CLI; the translator's child
// process shares its chunks) and a guest worker thread (its entry and the executors it imports).
// No module is shared between threads anyway, and split together, esbuild cut the code both use
// into a chunk per combination of entries that use it: a `wisp up` loaded 21 files, 7 under 1 KB.
for (const [chunks, thread] of [
  ["chunks", "main"],
  ["worker-chunks", "worker"],
]) {
  await build({
    entryPoints: BUNDLE_ENTRIES.filter((entry) => entry.thread === thread).map((entry) =>
      join(root, "dist", entry.path),
    ),
    outbase: join(root, "dist"),
    outdir: join(root, "bundle"),
    chunkNames: `${chunks}/[name]-[hash]`,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node24",
    // Small pure-JS libraries on the start path go in; the rest (native, wasm, large or lazily loaded) stays out.
    external: Object.keys(dependencies).filter((name) => !INLINED.has(name)),
    // The inlined CommonJS (commander) requires Node's built-ins: give the ES chunks a require.
    banner: {
      js: 'import { createRequire as __wispRequire } from "node:module"; const require = __wispRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
}
