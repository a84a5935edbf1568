import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { glob } from "tinyglobby";
import { WispError } from "../errors/wisp-error.js";
import { missingTool } from "./build-tools.js";
import { entryUrl } from "../code-location.js";

export interface BuildableComponent {
  id: string;
  build?: { command: string | string[]; workdir?: string; watch?: string[] };
  /** What the build produces (the component's source), when it is a local file. */
  source?: { kind: "path"; path: string } | { kind: "url" };
  /** Local dependencies: another component's output file, or another component by id. */
  localDependencies?: { paths: string[]; components: string[] };
}

export interface BuildOptions {
  log?: (line: string) => void;
  /** Build even what is up to date. */
  force?: boolean;
}

const CLI = fileURLToPath(entryUrl("cli"));

/**
 * `wisp build`: runs each component's `build.command` (Spin's semantics: a shell command, or a
 * list run in order) in the app folder or the component's `workdir`, in manifest order. The
 * commands find `wisp` on their PATH, so a step can call `wisp componentize` without a global
 * install. A component whose `watch` files, command and output are unchanged since its last
 * successful build is skipped. A tool that is not installed is named with its install command.
 */
export async function buildApp(
  appDir: string,
  components: Iterable<BuildableComponent>,
  options: BuildOptions = {},
): Promise<number> {
  const log = options.log ?? ((line: string) => process.stdout.write(line + "\n"));
  const binDir = await writeWispShim(join(appDir, ".wisp", "bin"));
  const stateDir = join(appDir, ".wisp", "build");
  const buildable = dependencyOrder([...components], log).filter((c) => c.build);
  let built = 0;
  for (const [index, component] of buildable.entries()) {
    const build = component.build!;
    const commands = Array.isArray(build.command) ? build.command : [build.command];
    const cwd = resolve(appDir, build.workdir ?? ".");
    const progress = `[${index + 1}/${buildable.length}]`;
    const fingerprint = await inputFingerprint(component, cwd);
    const stampFile = join(stateDir, `${component.id}.json`);
    if (!options.force && fingerprint && (await upToDate(stampFile, fingerprint, component))) {
      log(`${progress} ${component.id} is up to date`);
      continue;
    }
    const started = Date.now();
    for (const command of commands) {
      log(`${progress} Building component ${component.id} with \`${command}\``);
      const missing = await missingTool(command, cwd, binDir);
      if (missing)
        throw new WispError("TOOL_MISSING", `component ${component.id}: ${missing.problem}`, missing.install);
      const code = await runShell(command, cwd, binDir);
      if (code !== 0) {
        throw new WispError(
          "BUILD_FAILED",
          `component ${component.id}: \`${command}\` exited with code ${code}`,
          "fix the error printed above, then run `wisp build` again",
        );
      }
    }
    if (fingerprint) {
      await mkdir(stateDir, { recursive: true });
      await writeFile(stampFile, JSON.stringify({ fingerprint }));
    }
    log(`${progress} Built ${component.id} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    built++;
  }
  log(
    buildable.length === 0
      ? "No component has a build command."
      : `Finished building ${built} of ${buildable.length} component(s).`,
  );
  return built;
}

/**
 * Components in an order where each comes after the components it depends on (through a local
 * `{ path = ... }` dependency on their output, or `{ component = ... }`), otherwise in manifest
 * order. A cycle cannot be ordered: as Spin does, it is reported and manifest order is kept.
 */
export function dependencyOrder<T extends BuildableComponent>(
  components: T[],
  log: (line: string) => void = () => {},
): T[] {
  const byOutput = new Map(
    components.flatMap((c) => (c.source?.kind === "path" ? [[c.source.path, c.id] as const] : [])),
  );
  const ids = new Set(components.map((c) => c.id));
  const needs = new Map(
    components.map((c) => {
      const deps = new Set<string>();
      for (const path of c.localDependencies?.paths ?? []) {
        const id = byOutput.get(path);
        if (id && id !== c.id) deps.add(id);
      }
      for (const id of c.localDependencies?.components ?? []) if (ids.has(id) && id !== c.id) deps.add(id);
      return [c.id, deps] as const;
    }),
  );
  const ordered: T[] = [];
  const done = new Set<string>();
  while (ordered.length < components.length) {
    const next = components.find((c) => !done.has(c.id) && [...needs.get(c.id)!].every((d) => done.has(d)));
    if (!next) {
      log("warning: the components' dependencies form a cycle; building in manifest order");
      return components;
    }
    ordered.push(next);
    done.add(next.id);
  }
  return ordered;
}

/**
 * A digest of what decides a build's result: its commands, its workdir and the files its `watch`
 * globs name, by their paths in the workdir and their contents. Nothing of where the app is or of
 * the files' inodes and times goes in, so a copy of the app folder (`cp -r`) is up to date when
 * the original was. The contents are read outright rather than trusted from a stat: watched files
 * are sources, small enough that reading them costs little next to any build they could spare.
 * Without `watch` Wisp cannot know the inputs, so such a component is always built.
 */
async function inputFingerprint(component: BuildableComponent, cwd: string): Promise<string | undefined> {
  const build = component.build!;
  if (!build.watch || build.watch.length === 0) return undefined;
  const hash = createHash("sha256")
    .update(JSON.stringify(build.command))
    .update("\0")
    .update(build.workdir ?? ".")
    .update("\0");
  const files = (await glob(build.watch, { cwd, dot: false, ignore: ["**/node_modules/**", "**/.wisp/**"] })).sort();
  for (const file of files) {
    hash.update(file).update("\0");
    hash.update(await readFile(join(cwd, file)));
  }
  return hash.digest("hex");
}

async function upToDate(stampFile: string, fingerprint: string, component: BuildableComponent): Promise<boolean> {
  const stamp = await readFile(stampFile, "utf8").then(
    (t) => JSON.parse(t) as { fingerprint: string },
    () => undefined,
  );
  if (stamp?.fingerprint !== fingerprint) return false;
  // The output must still be there (a `clean` may have removed it).
  if (component.source?.kind === "path")
    return (await stat(component.source.path).catch(() => undefined)) !== undefined;
  return true;
}

async function writeWispShim(binDir: string): Promise<string> {
  await mkdir(binDir, { recursive: true });
  const shim = join(binDir, "wisp");
  await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  await chmod(shim, 0o755);
  return binDir;
}

function runShell(command: string, cwd: string, binDir: string): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, {
      cwd,
      shell: true,
      stdio: "inherit",
      env: { ...process.env, PATH: `${binDir}${delimiter}${process.env.PATH ?? ""}` },
    });
    child.on("error", () => resolvePromise(127));
    child.on("exit", (code) => resolvePromise(code ?? 1));
  });
}
