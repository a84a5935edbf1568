import type { Command } from "commander";

/** `wisp add TEMPLATE NAME`: a component (and its route) added to the app in the current folder. */
export function registerAdd(program: Command): void {
  program
    .command("add")
    .description("add a component made from a template to the app in the current folder")
    .argument("<template>", "the template (see `wisp templates list`)")
    .argument("<name>", "the component's id, and its folder")
    .option("--route <route>", "its route (default: /NAME/...)")
    .option("-f, --file <path>", "the manifest or its folder", ".")
    .option("--accept-defaults", "take every default without asking")
    .action(async (template: string, name: string, options: { route?: string; file: string }) => {
      const { addComponent } = await import("../../templates/index.js");
      const manifest = await addComponent(template, name, options.file, options.route);
      process.stdout.write(`Added component ${name} (template ${template}) to ${manifest}.\n`);
    });
}
