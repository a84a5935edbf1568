export { PREVIEW1_FUNCTIONS, runWasiCommand, createPreview1 } from "./run-command.js";
export { ProcExit } from "./calls-process.js";
export type { Preopen, WasiOptions } from "./wasi-context.js";
