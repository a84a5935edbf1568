import { listTemplates } from "../templates/template-catalog.js";

/**
 * The templates, one a line with what each is, for the help of `wisp new` and `wisp add`: read
 * from `templates/` when the help is shown, so a new template is listed without editing the CLI.
 */
export function templatesHelp(): string {
  const all = listTemplates();
  const width = Math.max(...all.map((t) => t.id.length));
  return `\nTemplates (wisp templates list says what each needs):\n${all.map((t) => `  ${t.id.padEnd(width)}  ${t.description}`).join("\n")}\n`;
}
