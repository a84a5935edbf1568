import type { Spin1HandlerAbi } from "../../../../../engine/wasm/module-outline.js";
import type { GuestToPrepare } from "../../../../guest-executor.js";
import { compileCoreModule } from "../../compile-core-module.js";
import { SPIN1_INTERFACE_FUNCTIONS } from "./spin1-interfaces.js";
import type { Spin1Spec } from "./spin1-program.js";

/**
 * A Spin 1 module compiled for the workers: rewritten to import its memory (pooled, zeroed per
 * request), its imports checked at start against WASI preview1 and the Spin 1 interfaces served.
 */
export async function prepareSpin1(
  guest: GuestToPrepare,
  bytes: Uint8Array<ArrayBuffer>,
  abi: Spin1HandlerAbi,
): Promise<Spin1Spec> {
  const spin1 = await compileCoreModule(guest.id, guest.file, bytes, [abi.handler, abi.realloc], {
    functions: SPIN1_INTERFACE_FUNCTIONS,
    hint: `Wisp serves Spin 1 modules WASI preview1 and ${[...SPIN1_INTERFACE_FUNCTIONS.keys()].join(", ")} (see the README's compatibility table)`,
  });
  return {
    spin1,
    abi,
    maxMemoryBytes: guest.maxMemoryBytes,
    filesRoot: guest.filesRoot,
    environment: guest.environment,
    grants: guest.grants,
  };
}
