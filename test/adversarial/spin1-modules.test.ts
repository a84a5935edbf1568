import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";

/** A module of Spin's first HTTP ABI that lies about its response (spin1-hostile.wat). */
describe("a hostile Spin 1 module", () => {
  let wisp: WispProcess & { url: string };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-spin1-hostile-"));
    copyFileSync(fixtureWasm("spin1-hostile"), join(dir, "web.wasm"));
    writeFileSync(
      join(dir, "spin.toml"),
      'spin_manifest_version = 2\n[application]\nname = "hostile"\n[[trigger.http]]\nroute = "/..."\ncomponent = "web"\n[component.web]\nsource = "web.wasm"\n',
    );
    wisp = await WispProcess.up(["-f", dir]);
  });
  afterAll(() => wisp.stop());

  for (const [path, what, log] of [
    ["/pointer", "a response address past its memory", "the module's response could not be read"],
    ["/headers", "a header list past its memory", "the module's response could not be read"],
    ["/utf8", "a header name that is not UTF-8", "the module's response could not be read"],
    ["/trap", "a trap", "trap: unreachable"],
  ] as const)
    it(`${what} fails that request with a 500 and a log line naming the component; the next is served`, async () => {
      const response = await fetch(`${wisp.url}${path}`);
      expect(response.status).toBe(500);
      await expect.poll(() => wisp.stderr).toContain(`[web] request failed: ${log}`);
      const next = await fetch(`${wisp.url}/fine`);
      expect({ status: next.status, body: await next.text() }).toEqual({ status: 200, body: "fine" });
    });
});
