import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import { WispError } from "../../errors/wisp-error.js";
import { FdInput, FdOutput } from "../../engine/io/fd-streams.js";
import {
  ComponentFactory,
  mergeServed,
  prepareComponent,
  readComponentWorld,
  servedAt,
  serves,
  type ComponentWorld,
} from "../../engine/component/index.js";
import {
  GuestExit,
  SERVED_INTERFACES,
  SUSPENDING_WASI_IMPORTS,
  WasiP2Host,
  releaseCandidatesServed,
  withReleaseCandidates,
} from "../../engine/wasi-p2/index.js";
import { DEFAULT_LIMITS } from "../../manifest/component-limits.js";
import { commandNetwork } from "../../engine/network/index.js";
import { WASI_P3_VERSIONS } from "../../engine/wasi-p3/index.js";
import type { RunRequest } from "./run-request.js";
import { parseDir } from "./dir-grant.js";

/** What a command component may import: WASI 0.2 (any 0.2.x) and the release candidates Spin serves. */
const COMMAND_SERVED = mergeServed(servedAt(SERVED_INTERFACES, "0.2.0"), releaseCandidatesServed(SERVED_INTERFACES));
/** The export `wasi:cli/run` at the versions it may have. */
const RUN_VERSIONS = new Map([
  ["wasi:cli/run", ["0.2.0", "0.2.0-rc-2023-11-10", "0.2.0-rc-2023-10-18", ...WASI_P3_VERSIONS]],
]);
/** WASI 0.3's `run`, which a command built for 0.3 exports (often beside 0.2's: Rust's wasm32-wasip3 exports both). */
const RUN_P3 = new Map([["wasi:cli/run", [...WASI_P3_VERSIONS]]]);

/**
 * Where `wisp run` keeps translated components: the user's cache (`$XDG_CACHE_HOME/wisp`, else
 * `~/.cache/wisp`), not the working directory, which running a command should not change.
 */
function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "wisp", "components");
}

/**
 * `wisp run` of a WASI 0.2 command component (one exporting `wasi:cli/run`), as `wasmtime run`
 * runs it: the process's stdio, its arguments and `--env`, the `--dir` grants (read-write), the
 * network `-S inherit-network` / `allow-ip-name-lookup` grant its sockets, the exit status its
 * `run` or `wasi:cli/exit` gives (0 or 1). Returns the exit code.
 */
export async function runCommandComponent(request: RunRequest, bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  let world: ComponentWorld;
  try {
    world = readComponentWorld(bytes);
  } catch (error) {
    throw new WispError(
      "COMPONENT_INVALID_WASM",
      `${request.file} is not a component Wisp can read: ${(error as Error).message}`,
      "check it is a valid WebAssembly component (wasm-tools validate)",
    );
  }
  if (!world.exports.some((name) => serves(RUN_VERSIONS, name))) {
    throw new WispError(
      "COMPONENT_LINK",
      `${request.file} exports ${world.exports.join(", ") || "nothing"}, and no wasi:cli/run@0.2.x or @0.3.x, which wisp run calls`,
      world.exports.some((name) => /^wasi:http\/(incoming-)?handler@/.test(name))
        ? "it is an HTTP handler: serve it with `wisp up --from " + request.file + "`"
        : "build it as a WASI command (a `main`: cargo's wasm32-wasip2 or wasm32-wasip3 target, `wasm-tools component new` with the command adapter)",
    );
  }
  const directories = await Promise.all(request.dirs.map(parseDir));
  if (world.exports.some((name) => serves(RUN_P3, name))) {
    const { runP3Command } = await import("./run-p3-component.js");
    return runP3Command(request, bytes, directories, cacheDir());
  }
  const digest = createHash("sha256").update(bytes).digest("hex");
  // A command's sockets wait on the network: its glue suspends while they do (see SuspendingGlue).
  const suspending = world.imports.some((name) => name.startsWith("wasi:sockets/"))
    ? { imports: SUSPENDING_WASI_IMPORTS, exports: ["wasi:cli/run#run"] }
    : undefined;
  const prepared = await prepareComponent({ digest, read: () => Promise.resolve(bytes) }, cacheDir(), COMMAND_SERVED, {
    glue: suspending ? "suspending" : "sync",
    suspending,
  }).catch((error: unknown) => {
    if (error instanceof WispError) throw new WispError(error.code, `${request.file}: ${error.message}`, error.hint);
    throw error;
  });
  const factory = await ComponentFactory.load(prepared, DEFAULT_LIMITS.maxMemoryBytes);
  const wasi = new WasiP2Host({ args: request.args, env: request.env }, directories, {
    suspends: suspending !== undefined,
    network: commandNetwork(request.network ?? { inherit: false, lookups: false }, toStderr),
  });
  wasi.begin({ stdin: new FdInput(0), stdout: new FdOutput(1), stderr: new FdOutput(2) });
  const instance = factory.instantiate(withReleaseCandidates(wasi.imports));
  try {
    const run = findRun(instance.exports);
    // Suspending glue's run answers a promise.
    await run.run();
    return 0;
  } catch (error) {
    if (error instanceof GuestExit) return error.ok ? 0 : 1;
    // jco's glue throws the `err` of run's `result` as an error carrying it as `payload`.
    if (error instanceof Error && "payload" in error) return 1;
    throw error;
  } finally {
    instance.release();
    wasi.end();
  }
}

/** A line of Wisp's own to the command's stderr (a refusal, say). */
function toStderr(line: string): void {
  process.stderr.write(line + "\n");
}

function findRun(exports: Record<string, unknown>): { run(): void | Promise<void> } {
  for (const [name, value] of Object.entries(exports))
    if (name === "run" || name.startsWith("wasi:cli/run@")) return value as { run(): void | Promise<void> };
  throw new Error("the component's glue has no wasi:cli/run export");
}
