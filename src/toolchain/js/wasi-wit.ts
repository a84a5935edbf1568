import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { PACKAGE_ROOT } from "../../code-location.js";

/**
 * WASI's WIT, taken from the copy jco ships (never hand-written here). jco 1.35 ships 0.2.12,
 * while the StarlingMonkey engine inside componentize-js 0.23 exports
 * `wasi:http/incoming-handler@0.2.10`: building against 0.2.12 fails, so the wasi:http package
 * is re-versioned to the engine's version (0.2.10 and 0.2.12 are the same interface text).
 */
const SHIPPED_VERSION = "0.2.12";
export const ENGINE_HTTP_VERSION = "0.2.10";

/** The jco that componentize-js itself uses: the nearest node_modules/@bytecodealliance/jco above it. */
function shippedWitRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.resolve("@bytecodealliance/componentize-js")));
  for (;;) {
    const candidate = join(dir, "node_modules", "@bytecodealliance", "jco", "lib", "wit", "builtin", SHIPPED_VERSION);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("jco's WASI WIT was not found beside componentize-js; reinstall with npm ci");
    dir = parent;
  }
}

/**
 * Writes a WIT folder at `dir` whose root package holds `world` (WIT text that may use
 * `wasi:*@0.2.x` names) and whose deps/ hold WASI's packages.
 */
export async function writeWitFolder(dir: string, rootPackage: string): Promise<void> {
  const shipped = shippedWitRoot();
  const deps = join(dir, "deps");
  await mkdir(deps, { recursive: true });
  for (const name of ["wasi-io", "wasi-clocks", "wasi-random", "wasi-filesystem", "wasi-sockets"]) {
    await cp(join(shipped, name), join(deps, name), { recursive: true });
  }
  // jco's copy drops WASI's feature gates, so `exit-with-code` (gated `@unstable`) would be an
  // import of every handler (the response body guard imports wasi:cli/exit), and a host that does
  // not enable the feature (wasmtime's default, so Spin) could not link it. Removed, as the gate would.
  const cli = await readFile(join(shipped, "wasi-cli", "package.wit"), "utf8");
  await mkdir(join(deps, "wasi-cli"), { recursive: true });
  await writeFile(join(deps, "wasi-cli", "package.wit"), withoutExitWithCode(cli));
  const http = await readFile(join(shipped, "wasi-http", "package.wit"), "utf8");
  await mkdir(join(deps, "wasi-http"), { recursive: true });
  await writeFile(
    join(deps, "wasi-http", "package.wit"),
    http.replace(`package wasi:http@${SHIPPED_VERSION};`, `package wasi:http@${ENGINE_HTTP_VERSION};`),
  );
  // The host interfaces beyond WASI, one package per folder of the repository's wit/ (see its README).
  for (const entry of await readdir(HOST_WIT_DIR, { withFileTypes: true })) {
    if (entry.isDirectory()) await cp(join(HOST_WIT_DIR, entry.name), join(deps, entry.name), { recursive: true });
  }
  await writeFile(join(dir, "world.wit"), rootPackage);
}

/** wasi:cli's WIT without `exit-with-code` (see writeWitFolder); throws if the line is not where it was. */
function withoutExitWithCode(wit: string): string {
  const line = /^(\s*@unstable\([^)]*\)\n)?\s*exit-with-code: func\(status-code: u8\);\n/m;
  if (!line.test(wit))
    throw new Error("jco's wasi:cli WIT has changed: exit-with-code was not found; update wasi-wit.ts");
  return wit.replace(line, "");
}

/** `wit/` at the package root. */
const HOST_WIT_DIR = join(PACKAGE_ROOT, "wit");

/** Host interfaces a JavaScript handler may import by name, beyond what the engine imports itself. */
export const HANDLER_INTERFACES: ReadonlySet<string> = new Set([
  // Every handler imports it: the response body guard (sdk/internal) exits with an error status.
  `wasi:cli/exit@${SHIPPED_VERSION}`,
  "fermyon:spin/variables@2.0.0",
  "fermyon:spin/key-value@2.0.0",
  "fermyon:spin/sqlite@2.0.0",
  "fermyon:spin/redis@2.0.0",
  "fermyon:spin/postgres@2.0.0",
  "fermyon:spin/mysql@2.0.0",
  "fermyon:spin/mqtt@2.0.0",
  "spin:sqlite/sqlite@3.0.0",
  "spin:postgres/postgres@3.0.0",
  "spin:postgres/postgres@4.0.0",
  "wasi:keyvalue/store@0.2.0-draft2",
  "wasi:keyvalue/atomics@0.2.0-draft2",
  "wasi:keyvalue/batch@0.2.0-draft2",
  "wasi:config/store@0.2.0-draft-2024-09-27",
]);

/**
 * The world of an HTTP handler: it serves wasi:http/incoming-handler and imports exactly the host
 * interfaces its code imports (componentize-js would keep any import the world lists, used or not,
 * and a component should ask for nothing it does not use).
 */
export function httpHandlerWorld(imports: readonly string[] = []): string {
  return `package wisp:handler;

world http-handler {
${imports.map((name) => `  import ${name};\n`).join("")}  export wasi:http/incoming-handler@${ENGINE_HTTP_VERSION};
}
`;
}
