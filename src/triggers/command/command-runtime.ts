import { runCommandModule, type RunRequest } from "./run-module.js";

/**
 * The command trigger's runtime (see Trigger): one event, the command line, runs the module on this
 * thread with the process's stdio, so no app host, worker pool or reload is involved.
 */
export const commandRuntime = {
  /** Runs the command to its end; resolves with its exit code. */
  run: (request: RunRequest): Promise<number> => runCommandModule(request),
};
