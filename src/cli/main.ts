#!/usr/bin/env node
import "./supported-node.js";
import { Command, CommanderError } from "commander";
import { enableCompileCache } from "../compile-cache.js";
import { isWispError } from "../errors/wisp-error.js";
import { commands } from "./commands/index.js";
import { EXIT, exitCodeOf } from "./exit-code.js";

enableCompileCache();

/** Exit codes: see exit-code.ts. */
const program = new Command("wisp")
  .description("Serverless WebAssembly: run Spin-compatible apps, a fresh sandbox per request")
  .version("0.1.0")
  .enablePositionalOptions()
  .exitOverride();

for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (isWispError(error)) {
    process.stderr.write(error.format() + "\n");
    process.exitCode = exitCodeOf(error.code);
  } else {
    process.stderr.write(`wisp: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = EXIT.bug;
  }
}
