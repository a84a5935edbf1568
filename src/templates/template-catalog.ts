import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { WispError } from "../errors/wisp-error.js";
import { nearest } from "../manifest/suggest.js";
import { PACKAGE_ROOT } from "../code-location.js";

/** The templates shipped with Wisp: `templates/` at the package root (see its README). */
export const TEMPLATES_DIR = join(PACKAGE_ROOT, "templates");

export interface Template {
  id: string;
  description: string;
  /** What must be installed to build it, with the command that installs it. */
  requires: string;
  dir: string;
  /** The `[[trigger.http]]` / `[component.*]` tables it adds to a manifest (with placeholders). */
  manifestTables: string;
  /** The component's files; absent for a template that is only manifest tables (redirect). */
  contentDir?: string;
  /** Where in the component the guest SDK's types go (TypeScript templates). */
  sdkTypes?: string;
}

/** The ids of the templates, sorted: every folder of `templates/` with a `template.json`. */
export function templateIds(): string[] {
  return readdirSync(TEMPLATES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(TEMPLATES_DIR, entry.name, "template.json")))
    .map((entry) => entry.name)
    .sort();
}

export function listTemplates(): Template[] {
  return templateIds().map((id) => loadTemplate(id));
}

export function isTemplate(id: string): boolean {
  return /^[a-z0-9-]+$/.test(id) && existsSync(join(TEMPLATES_DIR, id, "template.json"));
}

export function loadTemplate(id: string): Template {
  if (!isTemplate(id)) throw unknownTemplate(id);
  const dir = join(TEMPLATES_DIR, id);
  const meta = JSON.parse(readFileSync(join(dir, "template.json"), "utf8")) as { description: string; requires: string; sdkTypes?: string };
  const contentDir = join(dir, "content");
  return {
    id,
    description: meta.description,
    requires: meta.requires,
    dir,
    manifestTables: readFileSync(join(dir, "component.toml"), "utf8"),
    contentDir: existsSync(contentDir) ? contentDir : undefined,
    sdkTypes: meta.sdkTypes,
  };
}

/**
 * The error for a template id that names none: the id, the template it is a typo of if any, and
 * every template. `usage`, given the template to suggest, says how to write the command.
 */
export function unknownTemplate(id: string, usage?: (suggested: string | undefined) => string): WispError {
  const ids = templateIds();
  const guess = nearest(id, ids);
  const hint = [guess ? `did you mean ${guess}?` : "", usage?.(guess) ?? "", `The templates: ${ids.join(", ")} (wisp templates list).`];
  return new WispError("TEMPLATE_NOT_FOUND", `there is no template named ${id}`, hint.filter((part) => part !== "").join(" "));
}
