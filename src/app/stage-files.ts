import { copyFile, link, mkdir, realpath, rm, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { WispError } from "../errors/wisp-error.js";
import type { FileMount } from "../manifest/app-manifest.js";
import { fileKind } from "./component-source.js";

/**
 * Builds the read-only tree a component sees at `/`: the manifest's `files` (globs relative to the
 * app folder, and `{ source, destination }` mappings), minus `exclude_files`, materialised under
 * `stageDir` (hard links where possible, else copies). Staging at start means the guest sandbox
 * is one directory that holds exactly what was granted: symlinks are resolved here (one that leads
 * outside the app folder is skipped with a warning), so nothing in it can point outside. Returns `undefined` when the component is granted no files.
 */
export async function stageFiles(
  componentId: string,
  appDir: string,
  files: readonly FileMount[],
  excludeFiles: readonly string[],
  stageDir: string,
  warn: (message: string) => void = () => {},
): Promise<string | undefined> {
  if (files.length === 0) return undefined;
  const appRoot = await realpath(appDir);
  // A symlink in the app that leads outside it would grant a file the manifest never named.
  const place = async (from: string, to: string) => {
    const real = await realpath(from);
    if (!isInside(appRoot, real)) {
      return warn(`component ${componentId}: skipping ${relative(appDir, from)}: it links outside the app folder`);
    }
    // A FIFO or a device matched by a glob would be copied (or read by the guest) forever.
    const info = await stat(real);
    if (!info.isFile()) {
      throw fail(
        `\`files\` grants ${from}${real === from ? "" : ` (${real})`}, which is ${fileKind(info)}, not a file`,
        "remove it from the app folder, or leave it out with `exclude_files`",
      );
    }
    await mkdir(dirname(to), { recursive: true });
    await rm(to, { force: true });
    await link(real, to).catch(() => copyFile(real, to));
  };
  await rm(stageDir, { recursive: true, force: true });
  await mkdir(stageDir, { recursive: true });
  const fail = (what: string, hint: string) =>
    new WispError("FILES_INVALID", `component ${componentId}: ${what}`, hint);
  for (const mount of files) {
    if (mount.kind === "glob") {
      if (isAbsolute(mount.pattern) || normalize(mount.pattern).startsWith("..")) {
        throw fail(
          `files pattern ${JSON.stringify(mount.pattern)} reaches outside the app folder`,
          "use a pattern relative to the manifest's folder",
        );
      }
      const { glob } = await import("tinyglobby"); // loaded only for an app with files (~40 ms at start)
      const matches = await glob(mount.pattern, {
        cwd: appDir,
        ignore: [...excludeFiles],
        onlyFiles: true,
        dot: false,
      });
      for (const match of matches) await place(join(appDir, match), join(stageDir, match));
      continue;
    }
    // Absolute as Spin reads it; either way only what is inside the app folder can be granted.
    const source = resolve(appDir, mount.source);
    if (!isInside(appDir, source)) {
      throw fail(
        `\`files\` source ${JSON.stringify(mount.source)} is ${source}, outside the app folder ${appDir}: Wisp grants only files inside it`,
        `copy what the component needs into the app folder and write its path relative to it, e.g. { source = "assets", destination = "${mount.destination}" }`,
      );
    }
    const destination = normalize(mount.destination).replace(/^([/\\])+/, "");
    if (destination.startsWith("..")) {
      throw fail(
        `files destination ${JSON.stringify(mount.destination)} leaves the guest's root`,
        "use a destination such as /static",
      );
    }
    let info;
    try {
      info = await stat(source);
    } catch (error) {
      throw fail(
        `\`files\` source ${JSON.stringify(mount.source)} (${source}) ${statProblem(error as NodeJS.ErrnoException)}`,
        "fix `files` in the manifest, or create the file or folder",
      );
    }
    if (!info.isDirectory() && !info.isFile()) {
      throw fail(
        `\`files\` source ${JSON.stringify(mount.source)} (${source}) is ${fileKind(info)}, not a file or a folder`,
        "map a file or a folder inside the app folder",
      );
    }
    if (info.isDirectory()) {
      const { glob } = await import("tinyglobby");
      const matches = await glob("**/*", { cwd: source, ignore: [...excludeFiles], onlyFiles: true });
      for (const match of matches) await place(join(source, match), join(stageDir, destination, match));
    } else {
      await place(source, join(stageDir, destination));
    }
  }
  return stageDir;
}

/** Why stat failed, in words: the true reason, not always "does not exist". */
function statProblem(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ENOENT":
      return "does not exist";
    case "ENOTDIR":
      return "does not exist: a part of its path is a file, not a folder";
    case "EACCES":
    case "EPERM":
      return "cannot be read: permission denied";
    case "ELOOP":
      return "cannot be read: its symbolic links loop";
    default:
      return `cannot be read (${error.code ?? error.message})`;
  }
}

/** Whether `child` is inside `parent` (both absolute). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith(".." + sep) && rel !== ".." && !isAbsolute(rel));
}
