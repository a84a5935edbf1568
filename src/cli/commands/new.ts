import { relative } from "node:path";
import type { Command } from "commander";
import { templatesHelp } from "../template-help.js";

/** `wisp new TEMPLATE NAME`: an app folder from a template. */
export function registerNew(program: Command): void {
  program
    .command("new")
    .description("create an app from a template")
    .argument("<template>", "the template (listed below)")
    // Optional here so that a missing name gets Wisp's own error, which names the template given.
    .argument("[name]", "the app's name, and its folder")
    .option("--accept-defaults", "take every default without asking (Wisp asks nothing else today)")
    .addHelpText("after", templatesHelp)
    .action(async (template: string, name: string | undefined) => {
      const { newApp } = await import("../../templates/index.js");
      const dir = await newApp(template, name, process.cwd());
      const where = relative(process.cwd(), dir) || ".";
      process.stdout.write(`Created ${where} from template ${template}.\nNext: cd ${where} && wisp build && wisp up\n`);
    });
}
