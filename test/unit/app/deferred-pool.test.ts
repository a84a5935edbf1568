import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { RunningApp, ServeOptions } from "../../../src/app/serve-app.js";
import type { ServePlan } from "../../../src/app/serve-plan.js";
import { distUrl, fixtureWasm } from "../../support/dist.js";

// From dist/: serveApp starts worker threads, which load the built entries.
const { serveApp } = (await import(distUrl("app/serve-app.js").href)) as {
  serveApp: (plan: ServePlan, options: ServeOptions) => Promise<RunningApp>;
};
const { planFromModule } = (await import(distUrl("app/plan-from-module.js").href)) as {
  planFromModule: (file: string, cwd: string) => Promise<ServePlan>;
};

const dir = mkdtempSync(join(tmpdir(), "wisp-deferred-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an app whose guests all run inline boots its worker threads late", () => {
  // The threads would boot only after ten minutes here: a request that must run on one (a guest
  // that sleeps cannot hold up the server's own thread) is answered only if it starts them.
  it("starts them for the first job that needs one", async () => {
    copyFileSync(fixtureWasm("wagi-sleep"), join(dir, "sleep.wasm"));
    const plan = await planFromModule("sleep.wasm", dir);
    const app = await serveApp(plan, {
      host: "127.0.0.1",
      port: 0,
      log: () => undefined,
      deferredPoolStartMs: 600_000,
    });
    try {
      const response = await fetch(app.url + "/");
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("slept\n");
    } finally {
      await app.close(0);
    }
  }, 20_000);
});
