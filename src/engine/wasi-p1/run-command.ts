import { StreamClosed } from "../io/streams.js";
import { fdCalls } from "./calls-fd.js";
import { pathCalls } from "./calls-path.js";
import { pollCalls } from "./calls-poll.js";
import { ProcExit, processCalls } from "./calls-process.js";
import { Errno, errnoOf } from "./errno.js";
import { GuestMemory } from "./guest-memory.js";
import { WasiContext, type WasiOptions } from "./wasi-context.js";

type Calls = Record<string, (...args: never[]) => number>;

/** A context that is never called: only the names of the calls are read from it. */
const NO_CONTEXT = {} as WasiContext;

/**
 * Wraps each call so host errors become errnos and never escape into the guest as exceptions;
 * only `proc_exit` and a closed output stream (the client went away) unwind the guest.
 */
function guarded(calls: Record<string, (...args: never[]) => number>): WebAssembly.ModuleImports {
  const wrapped: WebAssembly.ModuleImports = {};
  for (const [name, call] of Object.entries(calls)) {
    wrapped[name] = (...args: never[]) => {
      try {
        return call(...args);
      } catch (error) {
        if (error instanceof ProcExit || error instanceof StreamClosed) throw error;
        if (error instanceof RangeError) return Errno.FAULT;
        return errnoOf(error);
      }
    };
  }
  return wrapped;
}

/** The `wasi_snapshot_preview1` import object for one instance, and its context. */
export function createPreview1(options: WasiOptions): { context: WasiContext; imports: WebAssembly.ModuleImports } {
  const context = new WasiContext(options);
  const calls = { ...processCalls(context), ...fdCalls(context), ...pathCalls(context), ...pollCalls(context) } as unknown as Calls;
  return { context, imports: guarded(calls) };
}

function findMemory(instance: WebAssembly.Instance, extraImports: WebAssembly.Imports | undefined): WebAssembly.Memory {
  const exported = instance.exports.memory;
  if (exported instanceof WebAssembly.Memory) return exported;
  for (const module of Object.values(extraImports ?? {})) {
    for (const value of Object.values(module)) if (value instanceof WebAssembly.Memory) return value;
  }
  throw new Error("the module has no memory for WASI to use");
}

/**
 * Runs a WASI preview1 command on a fresh instance: `_start` with the given args, environment,
 * stdio and preopens. Returns the exit code (0 when `_start` returns). Traps propagate.
 * `extraImports` supplies other import modules (Wisp passes the pooled memory this way).
 */
export function runWasiCommand(module: WebAssembly.Module, options: WasiOptions, extraImports?: WebAssembly.Imports): number {
  const { context, imports } = createPreview1(options);
  try {
    const instance = new WebAssembly.Instance(module, { ...extraImports, wasi_snapshot_preview1: imports });
    context.bind(new GuestMemory(findMemory(instance, extraImports)));
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
    context.fds.closeAll();
  }
}

/** The preview1 functions Wisp provides, for checking a module's imports before it runs. */
export const PREVIEW1_FUNCTIONS: ReadonlySet<string> = new Set(
  Object.keys({ ...processCalls(NO_CONTEXT), ...fdCalls(NO_CONTEXT), ...pathCalls(NO_CONTEXT), ...pollCalls(NO_CONTEXT) }),
);
