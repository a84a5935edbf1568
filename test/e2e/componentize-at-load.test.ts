import { copyFileSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

/** The app: one route to a core module that carries its component type, as Spin's SDKs build for wasm32-wasip1. */
function app(): string {
  const dir = mkdtempSync(join(tmpdir(), "wisp-embedded-"));
  copyFileSync(fixtureWasm("spin-sdk-module"), join(dir, "module.wasm"));
  writeFileSync(
    join(dir, "spin.toml"),
    'spin_manifest_version = 2\n[application]\nname = "sdk"\n[[trigger.http]]\nroute = "/..."\ncomponent = "sdk"\n[component.sdk]\nsource = "module.wasm"\n',
  );
  return dir;
}

async function serveOnce(dir: string): Promise<{ body: string; stderr: string }> {
  const wisp = await WispProcess.up(["-f", dir]);
  try {
    const response = await fetch(`${wisp.url}/anything`);
    expect(response.status).toBe(200);
    const body = await response.text();
    // The component's log reaches the terminal in batches, after the response.
    await waitFor(() => wisp.stderr.includes("log from a core module"), 10_000);
    return { body, stderr: wisp.stderr };
  } finally {
    await wisp.stop();
  }
}

describe("a core module that carries a component type is made a component at load, as Spin does", () => {
  it("serves it, its preview1 output through the adapter, and makes the component once per content", async () => {
    const dir = app();
    const first = await serveOnce(dir);
    expect(first.body).toBe("hello from a core module\n");
    expect(first.stderr).toContain("[sdk] log from a core module");

    const cache = join(dir, ".wisp/cache/componentized");
    const [made] = readdirSync(cache).filter((name) => name.endsWith(".wasm"));
    expect(made).toMatch(/^[0-9a-f]{64}\.wasm$/);
    const madeAt = statSync(join(cache, made!)).mtimeMs;

    const second = await serveOnce(dir);
    expect(second.body).toBe("hello from a core module\n");
    expect(statSync(join(cache, made!)).mtimeMs).toBe(madeAt);
  });
});
