import type { Command } from "commander";
import { registerAdd } from "./add.js";
import { registerAsc } from "./asc.js";
import { registerBuild } from "./build.js";
import { registerCargoBuild } from "./cargo-build.js";
import { registerComponentize } from "./componentize.js";
import { registerNew } from "./new.js";
import { registerRun } from "./run.js";
import { registerTemplates } from "./templates.js";
import { registerUp } from "./up.js";
import { registerWatch } from "./watch.js";

/** Every CLI command registers itself on the program; one file per command. */
export const commands: Array<(program: Command) => void> = [
  registerNew,
  registerAdd,
  registerBuild,
  registerUp,
  registerWatch,
  registerRun,
  registerTemplates,
  registerComponentize,
  registerAsc,
  registerCargoBuild,
];
