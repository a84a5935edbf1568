import { spawnSync } from "node:child_process";
import nodeModule from "node:module";
import { describe, expect, it } from "vitest";
import { distUrl } from "../support/dist.js";

const hasCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === "function";

describe("enableCompileCache", () => {
  it.skipIf(!hasCache)("turns on Node's compile cache (Node >= 22.1; skipped on older Node, which has none)", () => {
    // A fresh process: whether the cache is on is process-wide.
    const script = `const { enableCompileCache } = await import(${JSON.stringify(distUrl("compile-cache.js").href)});
      enableCompileCache();
      const { getCompileCacheDir } = await import("node:module");
      console.log(typeof getCompileCacheDir() === "string" ? "on" : "off");`;
    const env = { ...process.env };
    delete env.NODE_DISABLE_COMPILE_CACHE;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env });
    expect(child.stdout).toBe("on\n");
  });

  it("is a no-op where Node has no compile cache", async () => {
    const { enableCompileCache } = await import("../../src/compile-cache.js");
    expect(() => enableCompileCache()).not.toThrow();
  });
});
