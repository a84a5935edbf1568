import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

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
  for (const name of ["wasi-io", "wasi-clocks", "wasi-random", "wasi-cli", "wasi-filesystem", "wasi-sockets"]) {
    await cp(join(shipped, name), join(deps, name), { recursive: true });
  }
  const http = await readFile(join(shipped, "wasi-http", "package.wit"), "utf8");
  await mkdir(join(deps, "wasi-http"), { recursive: true });
  await writeFile(
    join(deps, "wasi-http", "package.wit"),
    http.replace(`package wasi:http@${SHIPPED_VERSION};`, `package wasi:http@${ENGINE_HTTP_VERSION};`),
  );
  await writeFile(join(dir, "world.wit"), rootPackage);
}

/** The world of an HTTP handler: it serves wasi:http/incoming-handler and imports nothing else. */
export const HTTP_HANDLER_WORLD = `package wisp:handler;

world http-handler {
  export wasi:http/incoming-handler@${ENGINE_HTTP_VERSION};
}
`;
