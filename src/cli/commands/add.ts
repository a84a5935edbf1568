import type { Command } from "commander";
import { templatesHelp } from "../template-help.js";

/** `wisp add TEMPLATE NAME`: a component (and its route) added to the app in the current folder. */
export function registerAdd(program: Command): void {
  program
    .command("add")
    .description("add a component made from a template to the app in the current folder")
    .argument("<template>", "the template (listed below)")
    .argument("<name>", "the component's id, and its folder")
    .option("--route <route>", "its route (default: /NAME/...)")
    .option("-f, --file <path>", "the manifest or its folder", ".")
    .option("--accept-defaults", "take every default without asking")
    .addHelpText("after", templatesHelp)
    .action(async (template: string, name: string, options: { route?: string; file: string }) => {
      const { addComponent } = await import("../../templates/index.js");
      const manifest = await addComponent(template, name, options.file, options.route);
      process.stdout.write(`Added component ${name} (template ${template}) to ${manifest}.\n`);
    });
}
