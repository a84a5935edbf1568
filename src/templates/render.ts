import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The values a template's placeholders take. */
export interface TemplateValues {
  name: string;
  /** The component folder relative to the manifest (`.` for `wisp new`). */
  dir: string;
  route: string;
}

export function render(text: string, values: TemplateValues): string {
  return text
    .replaceAll("{{name}}", values.name)
    .replaceAll("{{name_snake}}", values.name.replaceAll("-", "_"))
    .replaceAll("{{dir}}", values.dir)
    .replaceAll("{{route}}", values.route);
}

/** Copies a template's content folder, rendering every file; `_gitignore` becomes `.gitignore`. */
export async function renderTree(from: string, to: string, values: TemplateValues): Promise<string[]> {
  const written: string[] = [];
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const target = join(to, entry.name === "_gitignore" ? ".gitignore" : entry.name);
    if (entry.isDirectory()) written.push(...(await renderTree(join(from, entry.name), target, values)));
    else {
      await writeFile(target, render(await readFile(join(from, entry.name), "utf8"), values), { flag: "wx" });
      written.push(target);
    }
  }
  return written;
}
