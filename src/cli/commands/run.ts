import type { Command } from "commander";
import { WispError } from "../../errors/wisp-error.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `wisp run module.wasm [--dir HOST[::GUEST]]... [--env KEY=VALUE]... [-- ARGS...]`, as `wasmtime run`. */
export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run a WASI command module: its stdio and exit code are this process's")
    .argument("<module>", "a WASI preview1 command module (.wasm)")
    .argument("[args...]", "arguments for the module (after --)")
    .option("--dir <HOST[::GUEST]>", "grant a host directory, read-write (repeatable)", collect, [])
    .option("--env <KEY[=VALUE]>", "set an environment variable; KEY alone passes this process's value (repeatable)", collect, [])
    .passThroughOptions()
    .action(async (file: string, args: string[], options: { dir: string[]; env: string[] }) => {
      const env = options.env.map((entry): [string, string] => {
        const eq = entry.indexOf("=");
        if (eq === -1) {
          const value = process.env[entry];
          if (value === undefined) throw new WispError("USAGE", `--env ${entry}: no such variable in this environment`, "use --env KEY=VALUE");
          return [entry, value];
        }
        return [entry.slice(0, eq), entry.slice(eq + 1)];
      });
      // With pass-through options commander keeps the `--` that separates the module's own arguments.
      const guestArgs = args[0] === "--" ? args.slice(1) : args;
      const { runCommandModule } = await import("../../triggers/command/run-module.js");
      process.exitCode = await runCommandModule({ file, args: [file, ...guestArgs], env, dirs: options.dir });
    });
}
