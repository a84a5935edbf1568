#!/usr/bin/env node
import "./supported-node.js";
import { Command, CommanderError } from "commander";
import { enableCompileCache } from "../compile-cache.js";
import { isWispError } from "../errors/wisp-error.js";
import { commands } from "./commands/index.js";

enableCompileCache();

/** Exit codes: 0 ok, 1 user error (WispError), 2 usage, 70 internal bug. */
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
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (isWispError(error)) {
    process.stderr.write(error.format() + "\n");
    process.exitCode = 1;
  } else {
    process.stderr.write(`wisp: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 70;
  }
}
