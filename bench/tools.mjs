// The peers the benchmark compares Wisp with, at pinned versions. Whatever `npm ci` did not install
// is installed on first use into bench/.tools (git-ignored), so the tests' install stays lean.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const WORKERD = { name: "@cloudflare/workerd-linux-64", version: "1.20261117.1" };
const JCO = { name: "@bytecodealliance/jco", version: "1.35.0" };

const bench = fileURLToPath(new URL(".", import.meta.url));
const packageDir = (prefix, name) => join(prefix, "node_modules", name);
const manifestOf = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

/** Installs one pinned package into its own folder under bench/.tools (its own, so no install prunes another's); returns where it is. */
function install({ name, version }) {
  const prefix = join(bench, ".tools", `${name.replace(/^@/, "").replace(/\W+/g, "-")}-${version}`);
  const dir = packageDir(prefix, name);
  if (!existsSync(join(dir, "package.json"))) {
    process.stdout.write(`installing ${name}@${version} into ${prefix} (once)\n`);
    execFileSync(
      "npm",
      [
        "install",
        "--prefix",
        prefix,
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        `${name}@${version}`,
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
  }
  return dir;
}

/** workerd's binary (the npm package ships it prebuilt) and its version. */
export function workerd() {
  const dir = install(WORKERD);
  return { binary: join(dir, "bin/workerd"), version: manifestOf(dir).version };
}

/** A jco whose `serve` has `--isolate-requests instance`: the one componentize-js brought if it has it, else the pinned one. */
export function jco() {
  for (const dir of [packageDir(join(bench, ".."), JCO.name), null]) {
    const found = dir ?? install(JCO);
    if (!existsSync(join(found, "package.json"))) continue;
    const { version, bin } = manifestOf(found);
    const cli = join(found, typeof bin === "string" ? bin : bin.jco);
    const help = execFileSync(process.execPath, [cli, "serve", "--help"], { encoding: "utf8" });
    if (/--isolate-requests \[mode\][\s\S]*"instance"/.test(help)) return { cli, version };
  }
  throw new Error(`${JCO.name}@${JCO.version} has no \`serve --isolate-requests instance\``);
}
