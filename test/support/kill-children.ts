import { afterAll, inject } from "vitest";
import { killTrackedChildren, recordGroupsIn } from "./child-processes.js";

// A setupFile: vitest runs it in the worker before each test file.

recordGroupsIn(inject("childProcessFolder"));

// Hooks run in reverse order of registration, so this runs after the file's own afterAll (which
// stops its servers gracefully) and kills only what is left, even when a test failed or timed out.
afterAll(() => killTrackedChildren());

const installed = Symbol.for("wisp.test.kill-children-on-exit");
const state = globalThis as Record<symbol, boolean | undefined>;
if (!state[installed]) {
  state[installed] = true;
  process.on("exit", () => killTrackedChildren());
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      killTrackedChildren();
      // Let the signal do what it would have done without this listener.
      process.kill(process.pid, signal);
    });
  }
}
