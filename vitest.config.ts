import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: these machines are shared, and on a busy day run several times slower (a cold
    // componentize or transpile of a 13 MB component went from ~1 s to ~14 s).
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // End-to-end suites start real servers; keep the two cores from thrashing.
    maxWorkers: 2,
    // Every process a test starts is killed when its file ends, and after the run (test/support/child-processes.ts).
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["test/support/kill-children.ts"],
  },
});
