import type { RunningTrigger, TriggerGeneration, TriggerRuntime } from "../trigger.js";
import { runCommandModule, type RunRequest } from "./run-module.js";

/** The command to run: the module runs on this thread, with the process's stdio, so the host prepares no guests for it. */
export interface CommandGeneration extends TriggerGeneration {
  request: RunRequest;
}

export interface RunningCommand extends RunningTrigger<CommandGeneration> {
  /** The module's exit code, once it has run (it runs to its end: `close` does not stop it). */
  exitCode: Promise<number>;
}

/** The command trigger's runtime (see Trigger): a command ends by itself, so it never swaps. */
export const commandRuntime: TriggerRuntime<RunRequest, CommandGeneration, Record<string, never>, RunningCommand> = {
  generation: (request) => ({ request, guests: [] }),
  start(generation) {
    const exitCode = runCommandModule(generation.request);
    exitCode.catch(() => undefined); // the caller's to observe
    return Promise.resolve({ exitCode, close: () => Promise.resolve() });
  },
};
