import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WispProcess } from "../support/wisp-process.js";

/** WAGI's own examples and test modules (../shared/compat/wagi-deislabs), with a manifest from wagi's module maps. */
const WAGI = "/work/shared/compat/wagi-deislabs";
if (!existsSync(WAGI)) console.warn(`skipping WAGI's own modules: ${WAGI} is absent`);

describe.skipIf(!existsSync(WAGI))("modules built for deislabs/wagi, served as wagi's own tests expect", () => {
  it("hello, each entrypoint of multiple-entrypoints, and toast-on-demand's page", async () => {
    // A copy: wisp up writes .wisp/ beside the manifest, and ../shared is read-only data.
    const dir = mkdtempSync(join(tmpdir(), "wisp-wagi-compat-"));
    cpSync(WAGI, dir, { recursive: true });
    const wisp = await WispProcess.up(["-f", dir]);
    try {
      const answer = async (path: string) => {
        const response = await fetch(`${wisp.url}${path}`);
        return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
      };
      expect(await answer("/hello/anything")).toEqual({ status: 200, type: "text/plain", body: "hello world\n" });
      // testdata/sources/multiple-entrypoints/src/main.rs: main, ep1 and ep2 each print their own line.
      expect(await answer("/defaultep")).toEqual({ status: 200, type: "text/plain", body: "Default entrypoint\n" });
      expect(await answer("/ep1")).toEqual({ status: 200, type: "text/plain", body: "Entrypoint 1\n" });
      expect(await answer("/ep2")).toEqual({ status: 200, type: "text/plain", body: "Entrypoint 2\n" });
      const toast = await answer("/");
      expect(toast.status).toBe(200);
      expect(toast.type).toBe("text/html");
      expect(toast.body).toContain("<h1>Welcome to the Toast on Demand web site</h1>");
    } finally {
      await wisp.stop();
    }
  });
});
