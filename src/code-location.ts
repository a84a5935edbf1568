import { existsSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Where Wisp's files are, for the code that names them at run time (worker and child-process
 * entries, templates, WIT, the SDK). The same code runs from two layouts: `dist/` as tsc emits it,
 * one file per module (what the unit tests import), and `bundle/` as esbuild packs it (what the
 * `wisp` command runs; see scripts/bundle.mjs). A URL relative to this module's own file would hold
 * in only one of them, so paths start from the package root or from the layout's root.
 */
const here = fileURLToPath(import.meta.url);

/** The folder with Wisp's package.json: templates/, wit/ and sdk/ are in it. */
export const PACKAGE_ROOT = findPackageRoot(dirname(here));

/** The layout's root: the package root's child that this code runs from (dist/, bundle/, or src/ under a TS loader). */
const CODE_ROOT = join(PACKAGE_ROOT, relative(PACKAGE_ROOT, here).split(sep)[0]!);

/**
 * The modules that start a process or a thread, or that a worker thread loads by URL: the bundle's
 * entry points, each kept at its path under src/ (with a .js ending) in both layouts.
 */
export const ENTRY_MODULES = {
  cli: "cli/main.js",
  worker: "engine/worker/worker-main.js",
  transpiler: "engine/component/transpile-process.js",
  wagiProgram: "triggers/http/executors/wagi/wagi-program.js",
  wasiHttpProgram: "triggers/http/executors/wasi-http/wasi-http-program.js",
} as const;

export function entryUrl(entry: keyof typeof ENTRY_MODULES): URL {
  return pathToFileURL(join(CODE_ROOT, ENTRY_MODULES[entry]));
}

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
