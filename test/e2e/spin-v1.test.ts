import { copyFileSync, cpSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { runWisp, WispProcess } from "../support/wisp-process.js";

/** Spin's legacy-apps test app (../shared/compat): a version 1 manifest and a Spin 1 Go module. */
const SPIN_LEGACY = "/work/shared/compat/spin-legacy";
if (!existsSync(SPIN_LEGACY)) console.warn(`skipping the Spin legacy app: ${SPIN_LEGACY} is absent`);

describe("Spin's manifest version 1, served as Spin reads it", () => {
  it("serves a version 1 app: its components under the trigger's base, each with its executor", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-v1-"));
    copyFileSync(fixtureWasm("wagi-hello"), join(dir, "hello.wasm"));
    writeFileSync(
      join(dir, "spin.toml"),
      [
        'spin_manifest_version = "1"',
        'name = "old-hello"',
        'trigger = { type = "http", base = "/api" }',
        "[[component]]",
        'id = "hello_c"',
        'source = "hello.wasm"',
        "[component.trigger]",
        'route = "/hello"',
        'executor = { type = "wagi" }',
        "",
      ].join("\n"),
    );
    const wisp = await WispProcess.up(["-f", dir]);
    try {
      expect(wisp.stdout).toContain(`hello-c: ${wisp.url}/api/hello`);
      const response = await fetch(`${wisp.url}/api/hello`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("hello from C\n");
      expect((await fetch(`${wisp.url}/hello`)).status).toBe(404);
    } finally {
      await wisp.stop();
    }
  });

  it.skipIf(!existsSync(SPIN_LEGACY))(
    "reads Spin's legacy test app, and names the Spin 1 HTTP ABI its module is built for",
    async () => {
      // A copy: wisp up writes .wisp/ beside the manifest, and ../shared is read-only data.
      const dir = mkdtempSync(join(tmpdir(), "wisp-legacy-"));
      cpSync(SPIN_LEGACY, dir, { recursive: true });
      const result = await runWisp(["up", "-f", dir, "--listen", "127.0.0.1:0"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("error[COMPONENT_INVALID_WASM]: component go:");
      expect(result.stderr).toContain("it is built for Spin's first HTTP ABI");
    },
  );
});
