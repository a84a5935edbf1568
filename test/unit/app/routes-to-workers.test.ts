import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { routesToWorkers } from "../../../src/app/routes-to-workers.js";

const HEAD = 'spin_manifest_version = 2\n[application]\nname = "a"\n';

function app(body: string, name = "spin.toml"): string {
  const dir = mkdtempSync(join(tmpdir(), "wisp-routes-"));
  writeFileSync(join(dir, name), HEAD + body);
  return dir;
}

describe("routesToWorkers", () => {
  it("is true when a route's component runs with the default (wasi:http) executor", async () => {
    const dir = app('[[trigger.http]]\nroute = "/..."\ncomponent = "c"\n[component.c]\nsource = "c.wasm"\n');
    expect(await routesToWorkers(dir)).toBe(true);
    expect(await routesToWorkers(join(dir, "spin.toml"))).toBe(true);
  });

  it("is true when one route of several is not WAGI, and for an inline component", async () => {
    const mixed =
      '[[trigger.http]]\nroute = "/w"\ncomponent = "w"\nexecutor = { type = "wagi" }\n' +
      '[[trigger.http]]\nroute = "/h"\ncomponent = { source = "h.wasm" }\nexecutor = { type = "http" }\n[component.w]\nsource = "w.wasm"\n';
    expect(await routesToWorkers(app(mixed, "wisp.toml"))).toBe(true);
  });

  it("is false when every routed component is WAGI, or when only static responses are routed", async () => {
    expect(
      await routesToWorkers(
        app(
          '[[trigger.http]]\nroute = "/..."\ncomponent = "c"\nexecutor = { type = "wagi" }\n[component.c]\nsource = "c.wasm"\n',
        ),
      ),
    ).toBe(false);
    expect(await routesToWorkers(app('[[trigger.http]]\nroute = "/"\nstatic_response = { status_code = 204 }\n'))).toBe(
      false,
    );
  });

  it("is false, without throwing, for a manifest it cannot read: loadManifest reports those", async () => {
    expect(await routesToWorkers(app("[[trigger.http]\nbroken"))).toBe(false);
    expect(await routesToWorkers(app("trigger = 3\n"))).toBe(false);
    const empty = mkdtempSync(join(tmpdir(), "wisp-routes-none-"));
    mkdirSync(join(empty, "sub"));
    expect(await routesToWorkers(join(empty, "sub"))).toBe(false);
    expect(await routesToWorkers(join(empty, "absent.toml"))).toBe(false);
  });
});
