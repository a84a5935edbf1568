import type { Command } from "commander";

/** `wisp templates list`: the templates and what each needs installed. */
export function registerTemplates(program: Command): void {
  const templates = program.command("templates").description("the templates `wisp new` and `wisp add` use");
  templates
    .command("list")
    .description("list the templates and what each needs")
    .action(async () => {
      const { listTemplates } = await import("../../templates/index.js");
      const all = listTemplates();
      const width = Math.max(...all.map((t) => t.id.length));
      for (const t of all)
        process.stdout.write(`${t.id.padEnd(width)}  ${t.description}\n${" ".repeat(width)}  needs: ${t.requires}\n`);
    });
}
