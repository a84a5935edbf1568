import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";

/**
 * A hostile wasi:http 0.3 guest (p3-hostile.component.wat, the component model's async ABI) that
 * traps, loops or eats memory by path: each request fails alone, with the status its failure
 * deserves, and the server goes on serving the component.
 */
describe("a hostile wasi:http 0.3 guest", () => {
  let wisp: WispProcess & { url: string };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-p3-hostile-"));
    copyFileSync(fixtureWasm("p3-hostile"), join(dir, "web.wasm"));
    writeFileSync(
      join(dir, "spin.toml"),
      [
        "spin_manifest_version = 2",
        "[application]",
        'name = "p3-hostile"',
        "[[trigger.http]]",
        'route = "/..."',
        'component = "web"',
        "[component.web]",
        'source = "web.wasm"',
        "[component.web.tool.wisp]",
        'timeout = "2s"',
        'max_memory = "8MiB"',
        "",
      ].join("\n"),
    );
    wisp = await WispProcess.up(["-f", dir]);
  });
  afterAll(() => wisp.stop());

  it("a trap is a 500 naming the trap, and the next request is served", async () => {
    expect((await fetch(`${wisp.url}/trap`)).status).toBe(500);
    await expect.poll(() => wisp.stderr).toContain("[web] request failed: trap: wasm trap: wasm `unreachable`");
    expect((await fetch(`${wisp.url}/trap`)).status).toBe(500);
  });

  it("memory growth stops at the component's max_memory: the guest sees the refusal (then traps, 500)", async () => {
    const before = wisp.stderr.length;
    expect((await fetch(`${wisp.url}/memory`)).status).toBe(500);
    await expect.poll(() => wisp.stderr.slice(before)).toContain("unreachable");
  });

  it("a guest that never yields is stopped at its deadline with a 504, and the server goes on", async () => {
    const started = Date.now();
    expect((await fetch(`${wisp.url}/loop`)).status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    await expect.poll(() => wisp.stderr).toContain("[web] request failed: deadline exceeded");
    expect((await fetch(`${wisp.url}/trap`)).status).toBe(500);
  });
});
