import { readFile } from "node:fs/promises";
import { WispError } from "../../errors/wisp-error.js";
import { FdInput, FdOutput } from "../../engine/io/fd-streams.js";
import { binaryKind } from "../../engine/wasm/binary-reader.js";
import { compileWasm } from "../../engine/wasm/compile.js";
import { runWasiCommand } from "../../engine/wasi-p1/index.js";
import { parseDir } from "./dir-grant.js";
import type { RunRequest } from "./run-request.js";

export type { RunRequest } from "./run-request.js";

/** Exit status of a trapped guest, as wasmtime reports it (128 + SIGABRT). */
export const TRAP_EXIT_CODE = 134;

/**
 * `wisp run`: a WASI command (a preview1 or preview0 module, or a `wasi:cli/run` component, see
 * run-component) with the process's stdio; only the `--dir` grants are reachable. Returns the
 * guest's exit code.
 */
export async function runCommandModule(request: RunRequest): Promise<number> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(request.file));
  } catch (error) {
    throw new WispError(
      "COMPONENT_SOURCE_MISSING",
      `cannot read ${request.file} (${(error as NodeJS.ErrnoException).code})`,
      "check the path to the .wasm file",
    );
  }
  const kind = binaryKind(bytes);
  if (kind === "component") {
    const { runCommandComponent } = await import("./run-component.js");
    return trapsAsExitCode(request.file, () => runCommandComponent(request, bytes));
  }
  if (kind !== "module") {
    throw new WispError(
      "COMPONENT_INVALID_WASM",
      `${request.file} is not a WebAssembly binary`,
      "wisp run takes a WASI command: a preview1 or preview0 module (wasm32-wasip1) or a wasi:cli/run component",
    );
  }
  let module: WebAssembly.Module;
  try {
    module = await compileWasm(bytes);
  } catch (error) {
    throw new WispError(
      "COMPONENT_INVALID_WASM",
      `${request.file} is not valid WebAssembly: ${(error as Error).message}`,
      "rebuild the module",
    );
  }
  const preopens = await Promise.all(request.dirs.map(parseDir));
  return trapsAsExitCode(request.file, () =>
    runWasiCommand(module, {
      args: [request.args[0] ?? request.file, ...request.args.slice(1)],
      env: request.env,
      stdin: new FdInput(0),
      stdout: new FdOutput(1),
      stderr: new FdOutput(2),
      preopens,
    }),
  );
}

/** A trap ends the run as wasmtime ends it: the trap and its wasm frames on stderr, exit status 134. */
async function trapsAsExitCode(file: string, run: () => number | Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      process.stderr.write(`Error: ${file} trapped: ${error.message}\n${wasmFrames(error)}`);
      return TRAP_EXIT_CODE;
    }
    throw error;
  }
}

/** The wasm frames of a trap's stack, one per line, for the user's log. */
export function wasmFrames(error: Error): string {
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => line.includes("wasm://") || line.includes("wasm-function"));
  return frames.length ? `wasm backtrace:\n${frames.map((f) => "  " + f.trim()).join("\n")}\n` : "";
}
