export { PREVIEW1_FUNCTIONS, Preview1Host, WASI_CORE_MODULES, runWasiCommand } from "./run-command.js";
export { ProcExit } from "./calls-process.js";
export type { Preopen, WasiOptions } from "./wasi-context.js";
export { GuestMemory } from "./guest-memory.js";
