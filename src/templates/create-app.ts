import { appendFile, copyFile, mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { WispError } from "../errors/wisp-error.js";
import { loadAppManifest } from "../app/load-app-manifest.js";
import { findManifest } from "../manifest/index.js";
import { render, renderTree, type TemplateValues } from "./render.js";
import { isTemplate, loadTemplate, unknownTemplate, type Template } from "./template-catalog.js";
import { PACKAGE_ROOT } from "../code-location.js";

const NAME = /^[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*$/;

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new WispError("USAGE", `"${name}" is not a valid name`, "use lowercase words of letters and digits, each starting with a letter, joined by single dashes (kebab-case), e.g. my-app");
  }
}

/**
 * The template of `wisp new TEMPLATE NAME`, and the name, or why not. With one word, Spin's
 * `spin new` takes it as the template and asks for the name; Wisp asks nothing, so it says what is
 * missing rather than guess whether the word was the template or the name.
 */
function templateAndName(templateId: string, name: string | undefined): { template: Template; name: string } {
  if (!isTemplate(templateId)) {
    throw unknownTemplate(templateId, (suggested) =>
      name !== undefined ? "" : `wisp new takes the template, then the app's name: wisp new ${suggested ?? "TEMPLATE"} ${suggested ? "NAME" : templateId}.`,
    );
  }
  if (name === undefined) {
    throw new WispError("USAGE", `wisp new ${templateId}: the app's name is missing`, `wisp new ${templateId} NAME (also its folder), e.g. wisp new ${templateId} my-app`);
  }
  checkName(name);
  return { template: loadTemplate(templateId), name };
}

/** `wisp new TEMPLATE NAME`: a new app folder `NAME` holding one component made from the template. */
export async function newApp(templateId: string, nameGiven: string | undefined, parentDir: string): Promise<string> {
  const { template, name } = templateAndName(templateId, nameGiven);
  const appDir = resolve(parentDir, name);
  const existing = await readdir(appDir).catch(() => undefined);
  if (existing && existing.length > 0) {
    throw new WispError("USAGE", `${appDir} already exists and is not empty`, "choose another name, or remove the folder");
  }
  await mkdir(appDir, { recursive: true });
  const values: TemplateValues = { name, dir: ".", route: "/..." };
  if (template.contentDir) await renderTree(template.contentDir, appDir, values);
  await copySdkTypes(template, appDir);
  const manifest = `spin_manifest_version = 2

[application]
name = "${name}"
version = "0.1.0"
description = "Made with \`wisp new ${template.id} ${name}\`"

${render(template.manifestTables, values)}`;
  await writeFile(join(appDir, "spin.toml"), manifest, { flag: "wx" });
  return appDir;
}

/** `wisp add TEMPLATE NAME`: a component in folder `NAME` of the app in `appDir`, routed at `/NAME/...`. */
export async function addComponent(templateId: string, name: string, appDir: string, route?: string): Promise<string> {
  const template = loadTemplate(templateId);
  checkName(name);
  const manifestFile = await findManifest(appDir);
  const manifest = await loadAppManifest(manifestFile);
  if (manifest.components.has(name)) {
    throw new WispError("USAGE", `the app already has a component named ${name}`, "choose another name");
  }
  const values: TemplateValues = { name, dir: name, route: route ?? `/${name}/...` };
  if (template.contentDir) {
    const existing = await readdir(join(manifest.dir, name)).catch(() => undefined);
    if (existing) throw new WispError("USAGE", `${join(manifest.dir, name)} already exists`, "choose another name");
    await renderTree(template.contentDir, join(manifest.dir, name), values);
    await copySdkTypes(template, join(manifest.dir, name));
  }
  await appendFile(manifestFile, `\n${render(template.manifestTables, values)}`);
  // The result must still be a valid manifest; say so now rather than at `wisp up`.
  await loadAppManifest(manifestFile);
  return manifestFile;
}

/** The guest SDK's types (sdk/index.d.ts), so editors and tsc know `@wisp/sdk/*` in the new project. */
async function copySdkTypes(template: { sdkTypes?: string }, componentDir: string): Promise<void> {
  if (!template.sdkTypes) return;
  const target = join(componentDir, template.sdkTypes);
  await mkdir(dirname(target), { recursive: true });
  await copyFile(SDK_TYPES, target);
}

const SDK_TYPES = join(PACKAGE_ROOT, "sdk", "index.d.ts");
