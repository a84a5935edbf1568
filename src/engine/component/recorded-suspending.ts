import { RECORDING_SUSPENDING } from "../instance/suspending-imports.js";

const MADE = /\bnew WebAssembly\.Suspending\(/g;

/**
 * A suspending glue (see SuspendingGlue) that makes its `Suspending` imports through Wisp's
 * recording maker (engine/instance/suspending-imports.ts), which a reused core's forwarders need
 * to reach the function each wraps; the same objects otherwise.
 */
export function withRecordedSuspending(glue: string): string {
  return glue.replace(MADE, `globalThis[Symbol.for(${JSON.stringify(RECORDING_SUSPENDING.description)})](`);
}
