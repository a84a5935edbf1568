import { createHash } from "node:crypto";
import { AsyncComponentFactory, prepareComponent } from "../../engine/component/index.js";
import { FdInput, FdOutput } from "../../engine/io/fd-streams.js";
import type { Preopen } from "../../engine/wasi-p1/index.js";
import { GuestExit, WasiP2Host } from "../../engine/wasi-p2/index.js";
import {
  P3Filesystem,
  P3Network,
  P3_GLUE_NAMES,
  WASI_P3_SERVED,
  p3Imports,
  type P3Stdio,
} from "../../engine/wasi-p3/index.js";
import { commandNetwork } from "../../engine/network/index.js";
import { WispError } from "../../errors/wisp-error.js";
import { DEFAULT_LIMITS } from "../../manifest/component-limits.js";
import type { RunRequest } from "./run-request.js";

type Run = { run(): Promise<unknown> };

/** The process's stdin as 0.3's stdin reads it: asynchronously, so the guest's output drains meanwhile. */
async function* processStdin(): AsyncGenerator<Uint8Array> {
  for await (const chunk of process.stdin) yield chunk as Uint8Array;
}

/**
 * `wisp run` of a WASI 0.3 command (one exporting `wasi:cli/run@0.3.x`), as `wasmtime run` runs
 * it: translated into async glue (see GlueKind), WASI 0.3 beside 0.2 (a command built for 0.3
 * imports both), the process's stdio, `--dir` grants read-write through both filesystems,
 * sockets that reach only what `-S` grants, and the exit status `run`'s result or
 * `wasi:cli/exit` gives.
 */
export async function runP3Command(
  request: RunRequest,
  bytes: Uint8Array<ArrayBuffer>,
  directories: readonly Preopen[],
  cacheDir: string,
): Promise<number> {
  const digest = createHash("sha256").update(bytes).digest("hex");
  const prepared = await prepareComponent({ digest, read: () => Promise.resolve(bytes) }, cacheDir, WASI_P3_SERVED, {
    glue: "async",
    glueNames: P3_GLUE_NAMES,
  }).catch((error: unknown) => {
    if (error instanceof WispError) throw new WispError(error.code, `${request.file}: ${error.message}`, error.hint);
    throw error;
  });
  const factory = await AsyncComponentFactory.load(prepared, DEFAULT_LIMITS.maxMemoryBytes);
  const environment = { args: request.args, env: request.env };
  const wasi = new WasiP2Host(environment, directories);
  const stdio: P3Stdio = { stdin: processStdin(), stdout: new FdOutput(1), stderr: new FdOutput(2) };
  wasi.begin({ stdin: new FdInput(0), stdout: stdio.stdout, stderr: stdio.stderr });
  const run = {
    filesystem: new P3Filesystem(directories),
    network: new P3Network(
      commandNetwork(request.network ?? { inherit: false, lookups: false }, (line) =>
        process.stderr.write(line + "\n"),
      ),
    ),
  };
  const instance = await factory.instantiate(p3Imports(wasi.imports, environment, () => stdio, run));
  try {
    const outcome = await findRun(instance.exports).run();
    // The glue gives run's `result` as a value in some releases and throws its `err` in others.
    return isErr(outcome) ? 1 : 0;
  } catch (error) {
    if (error instanceof GuestExit) return error.code;
    if (error instanceof Error && "payload" in error) return 1;
    // The async glue rejects with run's `err` payload itself, which for `result` (no payload) is undefined.
    if (!(error instanceof Error)) return 1;
    throw error;
  } finally {
    instance.release();
    wasi.end();
    run.filesystem.close();
    run.network.close();
    // Stdin read for the guest must not keep the process alive once the command is done.
    process.stdin.destroy();
  }
}

function isErr(outcome: unknown): boolean {
  return typeof outcome === "object" && outcome !== null && (outcome as { tag?: unknown }).tag === "err";
}

function findRun(exports: Record<string, unknown>): Run {
  for (const [name, value] of Object.entries(exports)) if (name.startsWith("wasi:cli/run@0.3")) return value as Run;
  throw new Error("the component's glue has no wasi:cli/run@0.3 export");
}
