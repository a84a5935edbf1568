import { relative } from "node:path";
import type { Command } from "commander";

/** `wisp new [TEMPLATE] NAME`: an app folder from a template (http-ts by default). */
export function registerNew(program: Command): void {
  program
    .command("new")
    .description("create an app from a template (see `wisp templates list`)")
    .argument(
      "<template-or-name>",
      "the template (http-ts, http-js, http-c, http-as, http-rust, redirect), or just the name for http-ts",
    )
    .argument("[name]", "the app's name, and its folder")
    .option("--accept-defaults", "take every default without asking (Wisp asks nothing else today)")
    .action(async (first: string, second: string | undefined) => {
      const [template, name] = second === undefined ? ["http-ts", first] : [first, second];
      const { newApp } = await import("../../templates/index.js");
      const dir = await newApp(template, name, process.cwd());
      const where = relative(process.cwd(), dir) || ".";
      process.stdout.write(`Created ${where} from template ${template}.\nNext: cd ${where} && wisp build && wisp up\n`);
    });
}
