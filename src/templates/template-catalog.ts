import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { WispError } from "../errors/wisp-error.js";
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

export function listTemplates(): Template[] {
  return readdirSync(TEMPLATES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(TEMPLATES_DIR, entry.name, "template.json")))
    .map((entry) => loadTemplate(entry.name))
    .sort((a, b) => a.id.localeCompare(b.id));
}

export function loadTemplate(id: string): Template {
  const dir = join(TEMPLATES_DIR, id);
  if (!/^[a-z0-9-]+$/.test(id) || !existsSync(join(dir, "template.json"))) {
    const known = readdirSync(TEMPLATES_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    throw new WispError("TEMPLATE_NOT_FOUND", `there is no template named ${id}`, `use one of: ${known.sort().join(", ")} (wisp templates list)`);
  }
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
