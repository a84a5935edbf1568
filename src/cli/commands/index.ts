import type { Command } from "commander";
import { registerBuild } from "./build.js";
import { registerComponentize } from "./componentize.js";
import { registerRun } from "./run.js";
import { registerUp } from "./up.js";

/** Every CLI command registers itself on the program; one file per command. */
export const commands: Array<(program: Command) => void> = [registerUp, registerRun, registerBuild, registerComponentize];
