import type { Trigger } from "../trigger.js";

/**
 * The command trigger (`wisp run module.wasm`): one event, the command line, runs a WASI command
 * module once with this process's stdio and exit code. It starts from the command line, not a
 * manifest. Its runtime (command-runtime.ts) loads on use.
 */
export const commandTrigger = {
  type: "command",
  fromManifest: false,
  load: async () => (await import("./command-runtime.js")).commandRuntime,
} satisfies Trigger;
