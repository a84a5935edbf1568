import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { spawnTracked } from "./child-processes.js";
import { repoRoot } from "./dist.js";

const cli = join(repoRoot, "bundle", "cli", "main.js");

interface ServeOptions {
  cwd?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * A `wisp` process started the way a user starts it (`node bundle/cli/main.js up ...`), with its
 * output captured. `up` resolves once it prints "Serving http://..." and rejects if it exits first.
 */
export class WispProcess {
  stdout = "";
  stderr = "";
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (this.stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  }

  static up(args: string[], options: ServeOptions = {}): Promise<WispProcess & { url: string }> {
    return WispProcess.serve("up", args, options);
  }

  /** A serving command (`up`, `watch`) on a free port, resolved once it prints its address. */
  static async serve(
    command: string,
    args: string[],
    options: ServeOptions = {},
  ): Promise<WispProcess & { url: string }> {
    const child = spawnTracked(process.execPath, [cli, command, "--listen", "127.0.0.1:0", ...args], {
      env: options.env ?? process.env,
      cwd: options.cwd ?? repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const wisp = new WispProcess(child);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Not left serving for the rest of the file: nothing else holds it once this rejects.
        child.kill("SIGKILL");
        reject(new Error(`wisp up did not start in time:\n${wisp.stdout}\n${wisp.stderr}`));
      }, options.timeoutMs ?? 150_000);
      const check = () => {
        const match = /Serving (http:\/\/[^\s]+)/.exec(wisp.stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout.on("data", check);
      void wisp.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`wisp up exited with ${code}:\n${wisp.stdout}\n${wisp.stderr}`));
      });
    });
    return Object.assign(wisp, { url });
  }

  /** Sends SIGINT (Ctrl-C) and waits for the exit code. */
  async stop(signal: NodeJS.Signals = "SIGINT"): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill(signal);
    return this.exited;
  }
}

/** Runs `wisp ARGS...` to completion. */
export function runWisp(
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnTracked(process.execPath, [cli, ...args], {
      cwd: options.cwd ?? repoRoot,
      stdio: ["pipe", "pipe", "pipe"],
      env: options.env ?? process.env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdin.end(options.input ?? "");
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
