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
 * The modules that start a process or a thread: entry points of the bundle, each kept at its path
 * under src/ (with a .js ending) in both layouts.
 */
export const ENTRY_MODULES = {
  cli: "cli/main.js",
  worker: "engine/worker/worker-main.js",
  transpiler: "engine/component/transpile-process.js",
} as const;

export function entryUrl(entry: keyof typeof ENTRY_MODULES): URL {
  return moduleUrl(ENTRY_MODULES[entry]);
}

/**
 * The URL of a module loaded by URL at run time, given as its path under src/ with a .js ending
 * (an executor's worker module); the bundle keeps it as an entry (see src/bundle-entries.ts).
 */
export function moduleUrl(path: string): URL {
  return pathToFileURL(join(CODE_ROOT, path));
}

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
