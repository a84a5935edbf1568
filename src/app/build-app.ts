import { spawn } from "node:child_process";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { WispError } from "../errors/wisp-error.js";

export interface BuildableComponent {
  id: string;
  build?: { command: string | string[]; workdir?: string };
}

const CLI = fileURLToPath(new URL("../cli/main.js", import.meta.url));

/**
 * `wisp build`: runs each component's `build.command` (Spin's semantics: a shell command, or a
 * list run in order) in the app folder or the component's `workdir`. The commands find `wisp` on
 * their PATH, so a build step can call `wisp componentize` without a global install.
 */
export async function buildApp(
  appDir: string,
  components: Iterable<BuildableComponent>,
  log: (line: string) => void = (line) => process.stdout.write(line + "\n"),
): Promise<number> {
  const binDir = await writeWispShim(join(appDir, ".wisp", "bin"));
  let built = 0;
  for (const component of components) {
    if (!component.build) continue;
    const commands = Array.isArray(component.build.command) ? component.build.command : [component.build.command];
    const cwd = resolve(appDir, component.build.workdir ?? ".");
    for (const command of commands) {
      log(`Building component ${component.id} with \`${command}\``);
      const code = await runShell(command, cwd, binDir);
      if (code !== 0) {
        throw new WispError("BUILD_FAILED", `component ${component.id}: \`${command}\` exited with code ${code}`,
          "fix the error printed above, then run `wisp build` again");
      }
    }
    built++;
  }
  log(built === 0 ? "No component has a build command." : `Finished building ${built} component(s).`);
  return built;
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
