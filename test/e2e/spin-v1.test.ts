import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";

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
});
