import type { GuestToPrepare } from "../../../../guest-executor.js";
import { compileCoreModule } from "../../compile-core-module.js";
import { SPIN1_INTERFACE_FUNCTIONS } from "./spin1-interfaces.js";
import type { Spin1Spec } from "./spin1-program.js";

/** The export of Spin's first HTTP ABI (Spin 1 SDKs, wit-bindgen 0.2), and the allocator it needs. */
const SPIN1_EXPORTS = ["handle-http-request", "canonical_abi_realloc"];

/**
 * A Spin 1 module compiled for the workers: rewritten to import its memory (pooled, zeroed per
 * request), its imports checked at start against WASI preview1 and the Spin 1 interfaces served.
 */
export async function prepareSpin1(guest: GuestToPrepare, bytes: Uint8Array<ArrayBuffer>): Promise<Spin1Spec> {
  const spin1 = await compileCoreModule(guest.id, guest.file, bytes, SPIN1_EXPORTS, {
    functions: SPIN1_INTERFACE_FUNCTIONS,
    hint: `Wisp serves Spin 1 modules WASI preview1 and ${[...SPIN1_INTERFACE_FUNCTIONS.keys()].join(", ")} (see the README's compatibility table)`,
  });
  return {
    spin1,
    maxMemoryBytes: guest.maxMemoryBytes,
    filesRoot: guest.filesRoot,
    environment: guest.environment,
    grants: guest.grants,
  };
}
