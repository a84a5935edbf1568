import { NeedsWorker } from "../io/needs-worker.js";
import { StreamClosed } from "../io/streams.js";
import { fdCalls } from "./calls-fd.js";
import { pathCalls } from "./calls-path.js";
import { pollCalls } from "./calls-poll.js";
import { ProcExit, processCalls } from "./calls-process.js";
import { Errno, errnoOf } from "./errno.js";
import { GuestMemory } from "./guest-memory.js";
import { preview0Calls } from "./preview0.js";
import { WasiContext, type WasiCallContext, type WasiOptions } from "./wasi-context.js";

/** A context that is never called: only the names of the calls are read from it. */
const NO_CONTEXT = {} as WasiCallContext;

/**
 * Wraps each call so host errors become errnos and never escape into the guest as exceptions;
 * only `proc_exit`, a closed output stream (the client went away) and an inline run giving up
 * (NeedsWorker) unwind the guest.
 */
function guarded(calls: Record<string, (...args: never[]) => number>): WebAssembly.ModuleImports {
  const wrapped: WebAssembly.ModuleImports = {};
  for (const [name, call] of Object.entries(calls)) {
    if (call.length > 9) throw new Error(`preview1 call ${name} takes ${call.length} arguments; guarded passes 9`);
    // Fixed arity (preview1's longest call, path_open, takes 9): a rest array and a spread per call cost more.
    wrapped[name] = (a: never, b: never, c: never, d: never, e: never, f: never, g: never, h: never, i: never) => {
      try {
        return call(a, b, c, d, e, f, g, h, i);
      } catch (error) {
        if (error instanceof ProcExit || error instanceof StreamClosed || error instanceof NeedsWorker) throw error;
        if (error instanceof RangeError) return Errno.FAULT;
        return errnoOf(error);
      }
    };
  }
  return wrapped;
}

/**
 * A preview1 host whose import object is built once and reused by every instance it runs: the
 * calls reach the running instance's context through `view`, so a request costs one small
 * context object instead of ~45 fresh closures, which were a good share of a WAGI request's CPU
 * time and most of its garbage. Runs one instance at a time.
 */
export class Preview1Host {
  readonly imports: WebAssembly.ModuleImports;
  /** The same calls as `wasi_unstable` (preview 0) imports them (see preview0Calls). */
  readonly unstableImports: WebAssembly.ModuleImports;
  private context: WasiContext | undefined;
  /** A reused instance keeps its memory: its typed views are made once, not per run. */
  private readonly guestMemories = new WeakMap<WebAssembly.Memory, GuestMemory>();

  constructor() {
    const current = (): WasiContext => {
      if (!this.context) throw new Error("a WASI call arrived while no instance was running");
      return this.context;
    };
    const view = {
      get fds() {
        return current().fds;
      },
      get memory() {
        return current().memory;
      },
      get args() {
        return current().args;
      },
      get env() {
        return current().env;
      },
      get options() {
        return current().options;
      },
      charge(bytes: number) {
        current().charge(bytes);
      },
      get times() {
        return current().times;
      },
    } satisfies WasiCallContext;
    this.imports = guarded({ ...processCalls(view), ...fdCalls(view), ...pathCalls(view), ...pollCalls(view) });
    this.unstableImports = preview0Calls(this.imports, () => current().memory);
  }

  /**
   * Runs a WASI preview1 command on a fresh instance: `_start` (or `options.entrypoint`) with the
   * given args, environment, stdio and preopens. Returns the exit code (0 when the entry point
   * returns). Traps propagate. `extraImports` supplies other import modules (the pooled memory).
   */
  run(module: WebAssembly.Module, options: WasiOptions, extraImports?: WebAssembly.Imports): number {
    return this.runWith(options, () => {
      const instance = new WebAssembly.Instance(module, {
        ...extraImports,
        wasi_snapshot_preview1: this.imports,
        wasi_unstable: this.unstableImports,
      });
      return { instance, memory: findMemory(instance, extraImports) };
    });
  }

  /**
   * Runs the entry point of an instance made with this host's `imports` (a reused one, see
   * ReusableCore): the same contract as `run`, with `memory` as the guest's memory.
   */
  runInstance(instance: WebAssembly.Instance, memory: WebAssembly.Memory, options: WasiOptions): number {
    return this.runWith(options, () => ({ instance, memory }));
  }

  /**
   * Makes a fresh instance of `module` with these WASI options and hands it to `body`, which calls
   * its exports as it likes (Spin's first HTTP ABI calls `handle-http-request`, not `_start`); the
   * WASI calls it makes meanwhile reach this instance. Traps and `proc_exit` (ProcExit) propagate.
   */
  within<T>(
    module: WebAssembly.Module,
    options: WasiOptions,
    imports: WebAssembly.Imports,
    body: (instance: WebAssembly.Instance, memory: WebAssembly.Memory) => T,
  ): T {
    const context = new WasiContext(options);
    this.context = context;
    try {
      const instance = new WebAssembly.Instance(module, {
        ...imports,
        wasi_snapshot_preview1: this.imports,
        wasi_unstable: this.unstableImports,
      });
      const memory = findMemory(instance, imports);
      context.bind(this.guestMemory(memory));
      return body(instance, memory);
    } finally {
      this.context = undefined;
      context.fds.closeAll();
    }
  }

  private guestMemory(memory: WebAssembly.Memory): GuestMemory {
    let guestMemory = this.guestMemories.get(memory);
    if (!guestMemory) this.guestMemories.set(memory, (guestMemory = new GuestMemory(memory)));
    return guestMemory;
  }

  private runWith(
    options: WasiOptions,
    instantiate: () => { instance: WebAssembly.Instance; memory: WebAssembly.Memory },
  ): number {
    const context = new WasiContext(options);
    this.context = context;
    try {
      const { instance, memory } = instantiate();
      context.bind(this.guestMemory(memory));
      const name = options.entrypoint ?? "_start";
      const start = instance.exports[name];
      if (typeof start !== "function") throw new Error(`the module exports no ${name} function`);
      try {
        (start as () => void)();
        return 0;
      } catch (error) {
        if (error instanceof ProcExit) return error.code;
        throw error;
      }
    } finally {
      this.context = undefined;
      context.fds.closeAll();
    }
  }
}

function findMemory(instance: WebAssembly.Instance, extraImports: WebAssembly.Imports | undefined): WebAssembly.Memory {
  const exported = instance.exports.memory;
  if (exported instanceof WebAssembly.Memory) return exported;
  for (const module of Object.values(extraImports ?? {})) {
    for (const value of Object.values(module)) if (value instanceof WebAssembly.Memory) return value;
  }
  throw new Error("the module has no memory for WASI to use");
}

/** Runs one WASI command with a host of its own (see Preview1Host.run). */
export function runWasiCommand(
  module: WebAssembly.Module,
  options: WasiOptions,
  extraImports?: WebAssembly.Imports,
): number {
  return new Preview1Host().run(module, options, extraImports);
}

/** The import modules of WASI's two core snapshots, which the host serves alike (see preview0Calls). */
export const WASI_CORE_MODULES: ReadonlySet<string> = new Set(["wasi_snapshot_preview1", "wasi_unstable"]);

/** The preview1 functions Wisp provides, for checking a module's imports before it runs. */
export const PREVIEW1_FUNCTIONS: ReadonlySet<string> = new Set(
  Object.keys({
    ...processCalls(NO_CONTEXT),
    ...fdCalls(NO_CONTEXT),
    ...pathCalls(NO_CONTEXT),
    ...pollCalls(NO_CONTEXT),
  }),
);
