import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";

/** A guest of wasi:http 0.2.0-rc-2023-10-18 misusing that release's shapes (http-rc-2023-10-18.embedded.wat). */
describe("a hostile wasi:http@0.2.0-rc-2023-10-18 guest", () => {
  let wisp: WispProcess & { url: string };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-rc-hostile-"));
    copyFileSync(fixtureWasm("http-rc-2023-10-18"), join(dir, "web.wasm"));
    writeFileSync(
      join(dir, "spin.toml"),
      'spin_manifest_version = 2\n[application]\nname = "rc"\n[[trigger.http]]\nroute = "/..."\ncomponent = "web"\n[component.web]\nsource = "web.wasm"\n',
    );
    wisp = await WispProcess.up(["-f", dir]);
  });
  afterAll(() => wisp.stop());

  it("a header name HTTP forbids, given to the fields constructor (no error case in that release), fails that request only", async () => {
    const response = await fetch(`${wisp.url}/bad-header`);
    expect(response.status).toBe(500);
    await expect.poll(() => wisp.stderr).toContain('fields(["bad name"]) was refused (invalid-syntax)');
    expect((await fetch(`${wisp.url}/fine`)).status).toBe(201);
  });

  it("returning without setting a response is a 500 that says so, and the server goes on", async () => {
    const response = await fetch(`${wisp.url}/no-response`);
    expect(response.status).toBe(500);
    await expect.poll(() => wisp.stderr).toContain("returned without setting a response");
    expect(await (await fetch(`${wisp.url}/fine`)).text()).toBe("rc-2023-10-18 says hello, x-probe=");
  });
});
