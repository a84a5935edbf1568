import { defineConfig } from "vitest/config";

// Runs the probes below with the suite's own cleanup (see test/e2e/child-cleanup.test.ts), one
// file at a time, each in its own worker.
export default defineConfig({
  test: {
    include: ["test/support/cleanup-probe/*.probe.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["test/support/kill-children.ts"],
    hookTimeout: 120_000,
    maxWorkers: 1,
    cache: false,
  },
});
