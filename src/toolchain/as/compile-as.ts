import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { WispError } from "../../errors/wisp-error.js";

const require = createRequire(import.meta.url);

/**
 * Compiles an AssemblyScript program into a WASI preview1 command with Wisp's own AssemblyScript
 * and @assemblyscript/wasi-shim, so a user needs nothing installed. The shim's asconfig.json says
 * which lib and `use` aliases WASI needs; they are passed as flags, because asc resolves an
 * extended config's lib against the wrong folder and silently ignores an absolute --lib, so the
 * lib is given relative to the folder asc runs in.
 */
export async function compileAssemblyScript(source: string, out: string): Promise<void> {
  const shimDir = dirname(require.resolve("@assemblyscript/wasi-shim/asconfig.json"));
  const ascEntry = join(dirname(require.resolve("assemblyscript/package.json")), "bin", "asc.js");
  const { options } = JSON.parse(readFileSync(join(shimDir, "asconfig.json"), "utf8")) as {
    options: { lib: string; use: string[]; exportStart: string };
  };
  const cwd = dirname(shimDir);
  const args = [
    ascEntry,
    resolve(source),
    "--lib",
    relative(cwd, join(shimDir, options.lib)),
    "--exportStart",
    options.exportStart,
  ];
  for (const use of options.use) args.push("--use", use);
  args.push("-O2", "-o", resolve(out));
  const code = await new Promise<number>((done) => {
    const child = spawn(process.execPath, args, { cwd, stdio: "inherit" });
    child.on("error", () => done(1));
    child.on("exit", (status) => done(status ?? 1));
  });
  if (code !== 0)
    throw new WispError("BUILD_FAILED", `AssemblyScript could not compile ${source}`, "fix the errors printed above");
}
