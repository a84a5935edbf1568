import { FailedForGood } from "../../../../engine/io/failed-for-good.js";
import { MemoryPool } from "../../../../engine/memory/memory-pool.js";
import { JobFailed, type GuestProgram, type JobIO, type LoadGuest } from "../../../../engine/worker/job.js";
import { Preview1Host, type WasiOptions } from "../../../../engine/wasi-p1/index.js";
import type { CompiledModule } from "../../../../engine/wasm/compiled-module.js";
import type { RoutedRequest } from "../../request-info.js";
import { cgiArgv, cgiEnvironment } from "./cgi-env.js";
import { CgiOutput } from "./cgi-output.js";

/** What the worker loads once per WAGI component (structured-cloneable). */
export interface WagiSpec {
  compiled: CompiledModule;
  maxMemoryBytes: number;
  /** The staged `files` tree, served read-only at `/`; absent when none are granted. */
  filesRoot?: string;
}

/**
 * One request, as the main thread hands it over: the module's argv and CGI environment are made
 * from it only if the module reads them (see cgi-env).
 */
export interface WagiPayload {
  request: RoutedRequest;
  /** The route's argv template (`wagi.argv`). */
  argv: string;
  /** The component's `environment` from the manifest. */
  environment: Array<[string, string]>;
  entrypoint: string;
}

/**
 * One WAGI request, wherever it runs: the body on stdin, stdout parsed as CGI output, the files
 * read-only at `/`. `execute` runs the module's entry point with these options and returns its
 * exit code. Throws JobFailed for output that is not CGI or a failing exit before any output.
 */
export function runWagi(
  payload: unknown,
  io: JobIO,
  filesRoot: string | undefined,
  execute: (options: WasiOptions) => number,
): void {
  const { request, argv, environment, entrypoint } = payload as WagiPayload;
  const cgi = new CgiOutput(io.response);
  const exitCode = execute({
    args: () => cgiArgv(argv, request),
    env: () => cgiEnvironment(request, environment),
    // A body cut off (too large, client gone) fails every read after, like a broken pipe: a
    // module that reads again must not wait for bytes that will never come (see FailedForGood).
    stdin: new FailedForGood(io.body),
    stdout: cgi,
    stderr: io.stderr,
    preopens: filesRoot ? [{ guestPath: "/", hostPath: filesRoot, writable: false }] : [],
    entrypoint,
  });
  cgi.close();
  if (cgi.failure) throw new JobFailed(cgi.failure.status, cgi.failure.message);
  if (exitCode !== 0 && !io.response.headSent) throw new JobFailed(500, `the module exited with code ${exitCode}`);
}

/**
 * The WAGI executor on the worker: each request runs the module's `_start` on a fresh instance in
 * a pooled, zeroed memory.
 */
class WagiProgram implements GuestProgram {
  private readonly pool: MemoryPool | undefined;
  private readonly host = new Preview1Host();

  constructor(private readonly spec: WagiSpec) {
    const memory = spec.compiled.memory;
    this.pool = memory ? new MemoryPool(memory.shape, spec.maxMemoryBytes) : undefined;
  }

  run(payload: unknown, io: JobIO): void {
    const { compiled, filesRoot } = this.spec;
    const memory = this.pool?.acquire();
    const slot = compiled.memory?.slot;
    try {
      runWagi(payload, io, filesRoot, (options) =>
        this.host.run(
          compiled.module,
          options,
          memory && slot ? { [slot.module]: { [slot.name]: memory } } : undefined,
        ),
      );
    } finally {
      if (memory) this.pool!.release(memory);
    }
  }
}

export const load: LoadGuest = (spec) => Promise.resolve(new WagiProgram(spec as WagiSpec));
