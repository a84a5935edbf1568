import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";

/** How to install the tools templates use, for the message when one is missing. */
const INSTALL: Record<string, string> = {
  clang: "install clang with wasi-libc: apt-get install clang lld wasi-libc libclang-rt-dev-wasm32",
  cargo: "install Rust (https://rustup.rs), then: rustup target add wasm32-wasip1",
  rustc: "install Rust (https://rustup.rs), then: rustup target add wasm32-wasip1",
  tinygo: "install TinyGo: https://tinygo.org/getting-started/install/",
  go: "install Go: https://go.dev/doc/install",
  npm: "install Node.js and npm",
  npx: "install Node.js and npm",
};

/**
 * Checks what a build command needs before running it: its program on PATH (the first word; a
 * shell builtin or a path is trusted), and for cargo the wasm target it names. Undefined when
 * nothing is missing.
 */
export async function missingTool(
  command: string,
  cwd: string,
  binDir: string,
): Promise<{ problem: string; install: string } | undefined> {
  const program = /^\s*([A-Za-z0-9_.+-]+)(\s|$)/.exec(command)?.[1];
  if (!program || SHELL_WORDS.has(program)) return undefined;
  const path = `${binDir}${delimiter}${process.env.PATH ?? ""}`;
  if (!(await onPath(program, path, cwd))) {
    return {
      problem: `\`${program}\` is not installed (needed by \`${command}\`)`,
      install: INSTALL[program] ?? `install ${program} and make sure it is on PATH`,
    };
  }
  const target = /--target[= ](wasm32-[a-z0-9]+)/.exec(command)?.[1];
  if (program === "cargo" && target && !(await rustTargetInstalled(target))) {
    return {
      problem: `Rust's ${target} target is not installed (needed by \`${command}\`)`,
      install: `rustup target add ${target}`,
    };
  }
  return undefined;
}

const SHELL_WORDS = new Set([
  "cd",
  "echo",
  "export",
  "set",
  "test",
  "true",
  "false",
  "mkdir",
  "cp",
  "mv",
  "rm",
  "sh",
  "bash",
  "env",
]);

async function onPath(program: string, path: string, cwd: string): Promise<boolean> {
  if (program.includes("/"))
    return access(isAbsolute(program) ? program : join(cwd, program), constants.X_OK).then(
      () => true,
      () => false,
    );
  for (const dir of path.split(delimiter).filter(Boolean)) {
    if (
      await access(join(dir, program), constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return true;
  }
  return false;
}

function rustTargetInstalled(target: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile("rustup", ["target", "list", "--installed"], (error, stdout) => {
      // Without rustup (a distribution's Rust), let cargo itself say what is wrong.
      if (error) return resolve(true);
      resolve(stdout.split("\n").some((line) => line.trim() === target));
    });
  });
}
