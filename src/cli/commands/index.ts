import type { Command } from "commander";
import { registerComponentize } from "./componentize.js";
import { registerRun } from "./run.js";

/** Every CLI command registers itself on the program; one file per command. */
export const commands: Array<(program: Command) => void> = [registerRun, registerComponentize];
