import { copyFileSync, cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureWasm, repoRoot } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";

describe("@wisp/sdk: typed helpers over the granted capabilities", () => {
  it("counts visits in key-value, writes SQLite and reads a variable, through the SDK", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-sdk-"));
    cpSync(join(repoRoot, "test/fixtures/apps/sdk"), dir, { recursive: true });
    copyFileSync(fixtureWasm("http-sdk"), join(dir, "sdk.wasm"));
    const wisp = await WispProcess.up([], { cwd: dir });
    try {
      const first = await (await fetch(wisp.url)).json();
      const second = await (await fetch(wisp.url)).json();
      expect(first).toEqual({ greeting: "hello from a variable", visits: 1, notes: { n: 1, last: "visit 1" } });
      expect(second).toEqual({ greeting: "hello from a variable", visits: 2, notes: { n: 2, last: "visit 2" } });
    } finally {
      await wisp.stop();
    }
  });
});
