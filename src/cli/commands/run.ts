import { readFile, stat } from "node:fs/promises";
import type { Command } from "commander";
import { WispError } from "../../errors/wisp-error.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `wisp run [--dir HOST[::GUEST]]... [--env KEY=VALUE]... [-S OPTION]... module.wasm [ARGS...]`, as `wasmtime run`: what follows the module is its own. */
export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run a WASI command module: its stdio and exit code are this process's")
    .argument("<module>", "a WASI preview1 command module (.wasm)")
    .argument("[args...]", "the module's own arguments (everything after the module, flags included)")
    .option("--dir <HOST[::GUEST]>", "grant a host directory, read-write (repeatable)", collect, [])
    .option(
      "--env <KEY[=VALUE]>",
      "set an environment variable; KEY alone passes this process's value (repeatable)",
      collect,
      [],
    )
    .option(
      "-S, --wasi <OPTION[,OPTION]>",
      "as wasmtime's -S: inherit-network (any address for wasi:sockets), allow-ip-name-lookup (repeatable)",
      collect,
      [],
    )
    .passThroughOptions()
    .action(async (file: string, args: string[], options: { dir: string[]; env: string[]; wasi: string[] }) => {
      const network = wasiOptions(options.wasi);
      const env = options.env.map((entry): [string, string] => {
        const eq = entry.indexOf("=");
        if (eq === -1) {
          const value = process.env[entry];
          if (value === undefined)
            throw new WispError("USAGE", `--env ${entry}: no such variable in this environment`, "use --env KEY=VALUE");
          return [entry, value];
        }
        return [entry.slice(0, eq), entry.slice(eq + 1)];
      });
      // With pass-through options commander keeps the `--` that separates the module's own arguments.
      const guestArgs = args[0] === "--" ? args.slice(1) : args;
      await refuseNonFile(file);
      const command = await (await import("../../triggers/command/command-trigger.js")).commandTrigger.load();
      try {
        process.exitCode = await command.run({ file, args: [file, ...guestArgs], env, dirs: options.dir, network });
      } catch (error) {
        // Instantiation failed (TypeError, LinkError) or found no entry point: say why, as `wisp up` does at start.
        throw (await linkProblem(file).catch(() => undefined)) ?? error;
      }
    });
}

/** What wasmtime's `-S` options Wisp takes grant: network reach, for WASI 0.2's and 0.3's sockets. */
const WASI_OPTIONS = ["inherit-network", "allow-ip-name-lookup"] as const;

function wasiOptions(given: string[]): { inherit: boolean; lookups: boolean } {
  const options = new Set<string>();
  for (const option of given.flatMap((list) => list.split(","))) {
    // wasmtime writes booleans as NAME, NAME=y or NAME=n.
    const [name = "", value = "y"] = option.trim().split("=");
    if (
      !(WASI_OPTIONS as readonly string[]).includes(name) ||
      !["y", "n", "yes", "no", "true", "false"].includes(value)
    )
      throw new WispError(
        "USAGE",
        `-S ${option}: not an option Wisp takes`,
        `use -S ${WASI_OPTIONS.join(", -S ")} (each may end in =y or =n)`,
      );
    if (["y", "yes", "true"].includes(value)) options.add(name);
    else options.delete(name);
  }
  return { inherit: options.has("inherit-network"), lookups: options.has("allow-ip-name-lookup") };
}

/** A device, a FIFO or a folder is no module: /dev/zero would be read until memory ran out. */
async function refuseNonFile(file: string): Promise<void> {
  const stats = await stat(file).catch(() => undefined); // a missing file: the command trigger names it
  if (stats && !stats.isFile()) {
    const { fileKind } = await import("../../app/component-source.js");
    throw new WispError(
      "COMPONENT_SOURCE_MISSING",
      `${file} is ${fileKind(stats)}, not a file`,
      "give wisp run the path of a .wasm file",
    );
  }
}

/**
 * Why a WASI command cannot be linked by Wisp's preview1 host, or undefined: an import it does not
 * provide, no `_start`, no memory. Checked only once a run has failed, so a run that works
 * compiles its module once.
 */
async function linkProblem(file: string): Promise<WispError | undefined> {
  const [{ compileWasm }, { PREVIEW1_FUNCTIONS, WASI_CORE_MODULES }] = await Promise.all([
    import("../../engine/wasm/compile.js"),
    import("../../engine/wasi-p1/index.js"),
  ]);
  const module = await compileWasm(new Uint8Array(await readFile(file)));
  if (WebAssembly.Module.exports(module).some((e) => e.name === "handle-http-request"))
    return new WispError(
      "COMPONENT_LINK",
      `${file} is an HTTP handler of Spin's first HTTP ABI (it exports handle-http-request), not a command`,
      `serve it with \`wisp up --from ${file}\``,
    );
  const unknown = WebAssembly.Module.imports(module).filter(
    (entry) =>
      !(WASI_CORE_MODULES.has(entry.module) && entry.kind === "function" && PREVIEW1_FUNCTIONS.has(entry.name)),
  );
  if (unknown.length > 0) {
    return new WispError(
      "COMPONENT_LINK",
      `${file} imports ${unknown.map((i) => `${i.module}.${i.name}`).join(", ")}, which Wisp does not provide`,
      "build it as a WASI command (wasm32-wasip1) that imports only wasi_snapshot_preview1 (or wasi_unstable)",
    );
  }
  const exports = WebAssembly.Module.exports(module);
  if (!exports.some((e) => e.kind === "function" && e.name === "_start")) {
    return new WispError(
      "COMPONENT_LINK",
      `${file} exports no _start function`,
      "wisp run runs WASI commands: build an executable (with a main function), not a library or reactor",
    );
  }
  if (!exports.some((e) => e.kind === "memory" && e.name === "memory")) {
    return new WispError(
      "COMPONENT_LINK",
      `${file} exports no memory named "memory", which WASI needs to pass data to it`,
      "build it with a WASI toolchain (wasm32-wasi / wasm32-wasip1), which exports the module's memory",
    );
  }
  return undefined;
}
