import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";

/** Spin's runtime test components (../shared/compat): Spin 2 SDK modules importing wasi:http@0.2.0-rc-2023-10-18. */
const SPIN_TESTS = "/work/shared/compat/spin-test-components";
if (!existsSync(SPIN_TESTS)) console.warn(`skipping Spin's runtime test components: ${SPIN_TESTS} is absent`);

function appWith(wasm: string): string {
  const dir = mkdtempSync(join(tmpdir(), "wisp-rc-"));
  copyFileSync(wasm, join(dir, "web.wasm"));
  writeFileSync(
    join(dir, "spin.toml"),
    'spin_manifest_version = 2\n[application]\nname = "rc"\n[[trigger.http]]\nroute = "/..."\ncomponent = "web"\n[component.web]\nsource = "web.wasm"\n',
  );
  return dir;
}

describe("wasi:http release candidates that Spin serves", () => {
  for (const flags of [[], ["--no-inline"]])
    it(`serves a handler built for wasi:http@0.2.0-rc-2023-10-18 in that release's shapes ${flags.join(" ")}`, async () => {
      const wisp = await WispProcess.up(["-f", appWith(fixtureWasm("http-rc-2023-10-18")), ...flags]);
      try {
        const probed = await fetch(`${wisp.url}/a`, { headers: { "x-probe": "from the test" } });
        expect(probed.status).toBe(201);
        expect(probed.headers.get("content-type")).toBe("text/plain");
        expect(await probed.text()).toBe("rc-2023-10-18 says hello, x-probe=from the test");
        // Every request is its own instance; the dropped request of the last one left nothing behind.
        const plain = await fetch(`${wisp.url}/b`);
        expect(plain.status).toBe(201);
        expect(await plain.text()).toBe("rc-2023-10-18 says hello, x-probe=");
      } finally {
        await wisp.stop();
      }
    });

  it("serves that release's own WASI: a clock subscription waited on with poll-one, timezone, open-at with modes", async () => {
    const dir = appWith(fixtureWasm("http-rc-2023-10-18-wasi"));
    mkdirSync(join(dir, "static"));
    writeFileSync(join(dir, "static", "hello.txt"), "hi from a file");
    writeFileSync(
      join(dir, "spin.toml"),
      readFileSync(join(dir, "spin.toml"), "utf8") + 'files = [{ source = "static", destination = "/" }]\n',
    );
    const wisp = await WispProcess.up(["-f", dir]);
    try {
      const response = await fetch(`${wisp.url}/`);
      expect({ status: response.status, body: await response.text() }).toEqual({
        status: 200,
        body: "slept=1 offset=0 file=hi from a file",
      });
    } finally {
      await wisp.stop();
    }
  });

  it("sends a 2023-10-18 handler's outbound request where it is granted, and refuses it elsewhere, naming the host", async () => {
    const upstream = createServer((_req, res) => res.end("from upstream"));
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const address = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const dir = appWith(fixtureWasm("http-rc-2023-10-18-outbound"));
    writeFileSync(
      join(dir, "spin.toml"),
      readFileSync(join(dir, "spin.toml"), "utf8") + `allowed_outbound_hosts = ["http://${address}"]\n`,
    );
    const wisp = await WispProcess.up(["-f", dir]);
    try {
      const granted = await fetch(`${wisp.url}/web/${address}/x`);
      expect(`${granted.status} ${await granted.text()}`).toBe("200 200 from upstream");
      const denied = await fetch(`${wisp.url}/web/127.0.0.1:1/x`);
      expect(`${denied.status} ${await denied.text()}`).toBe("502 error: handle\n");
      await expect.poll(() => wisp.stderr).toContain("127.0.0.1:1");
    } finally {
      await wisp.stop();
      upstream.close();
    }
  });

  it("serves a 0.2 component that drops the request it never reads (a drop jco 1.12's glue wrote as a trap)", async () => {
    const wisp = await WispProcess.up(["-f", appWith(fixtureWasm("http-drops-request")), "--no-inline"]);
    try {
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${wisp.url}/any`);
        expect({ status: response.status, body: await response.text() }).toEqual({
          status: 200,
          body: "hello from WAT\n",
        });
      }
    } finally {
      await wisp.stop();
    }
  });

  it.skipIf(!existsSync(SPIN_TESTS))(
    "passes Spin's own runtime tests for key-value, variables and sqlite, as Spin's test runner checks them",
    async () => {
      // A copy: wisp up writes .wisp/ beside the manifest, and ../shared is read-only data.
      const dir = mkdtempSync(join(tmpdir(), "wisp-spin-tests-"));
      cpSync(SPIN_TESTS, dir, { recursive: true });
      const wisp = await WispProcess.up(["-f", dir]);
      try {
        // Each component checks itself and answers 500 with what failed otherwise.
        for (const test of ["key-value", "variables", "sqlite"]) {
          const response = await fetch(`${wisp.url}/${test}`);
          expect({ test, status: response.status, body: await response.text() }).toEqual({
            test,
            status: 200,
            body: "",
          });
        }
        const denied = await fetch(`${wisp.url}/key-value-no-permission`);
        expect(denied.status).toBe(500);
        expect(await denied.text()).toContain("AccessDenied");
      } finally {
        await wisp.stop();
      }
    },
  );
});
