import { setFlagsFromString } from "node:v8";

/**
 * Every wasm compile in Wisp goes through here, because of one V8 flag.
 *
 * V8 compiles a module's functions lazily (on first call) but validates all of them when it
 * compiles the module, unless --wasm-lazy-validation is on. For a translated component's cores
 * that validation is wasted: transpile-into validated them once, when it stored them, and for a
 * big core it is most of the compile (BENCHMARKS.md).
 *
 * The flag is process-wide and read while a compile runs in the background, so it cannot be
 * scoped to one compile; and it cannot be turned off again: V8 aborts the whole process (a
 * failed CHECK, not an exception) when a function compiled lazily after that fails validation.
 * So it is on from the first import of this module, and every module not validated before is
 * validated here in full (WebAssembly.validate checks every function, whatever the flag). With
 * the flag on, a function that somehow still fails (a cache file altered on disk) throws a
 * CompileError on its first call: that request fails with the message, the server goes on.
 */
setFlagsFromString("--wasm-lazy-validation");

/**
 * Compiles `bytes`. Unless `validated` (the caller's bytes were validated in full before, see
 * assertValidWasm), every function is validated first, and an invalid module is rejected with
 * V8's own message, as WebAssembly.compile would reject it.
 */
export async function compileWasm(
  bytes: Uint8Array<ArrayBuffer>,
  { validated = false }: { validated?: boolean } = {},
): Promise<WebAssembly.Module> {
  if (!validated) assertValidWasm(bytes);
  return WebAssembly.compile(bytes);
}

/** Throws V8's CompileError for `bytes` unless every function in them is valid. */
export function assertValidWasm(bytes: Uint8Array<ArrayBuffer>): void {
  if (!WebAssembly.validate(bytes)) throw compileError(bytes);
}

/**
 * The error V8 gives for an invalid module: a synchronous compile with eager validation, turned
 * on only for it (nothing is compiled lazily from a module that failed).
 */
function compileError(bytes: Uint8Array<ArrayBuffer>): Error {
  setFlagsFromString("--no-wasm-lazy-validation");
  try {
    new WebAssembly.Module(bytes);
  } catch (error) {
    return error as Error;
  } finally {
    setFlagsFromString("--wasm-lazy-validation");
  }
  return new WebAssembly.CompileError("the module does not validate");
}
