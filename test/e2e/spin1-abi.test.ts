import { copyFileSync, cpSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";

/** Spin's legacy-apps test app (../shared/compat): a version 1 manifest and a Spin 1 Go module. */
const SPIN_LEGACY = "/work/shared/compat/spin-legacy";
if (!existsSync(SPIN_LEGACY)) console.warn(`skipping Spin's legacy test app: ${SPIN_LEGACY} is absent`);

function app(grants: string): string {
  const dir = mkdtempSync(join(tmpdir(), "wisp-spin1-"));
  copyFileSync(fixtureWasm("spin1-http"), join(dir, "web.wasm"));
  writeFileSync(
    join(dir, "spin.toml"),
    `spin_manifest_version = 2\n[application]\nname = "spin1"\n[[trigger.http]]\nroute = "/..."\ncomponent = "web"\n[component.web]\nsource = "web.wasm"\n${grants}`,
  );
  return dir;
}

describe("Spin's first HTTP ABI (Spin 1 SDKs), run as Spin 2 and 3 run it", () => {
  it("hands the handler the method, URI, headers and body, and sends its status, headers and body", async () => {
    const wisp = await WispProcess.up(["-f", app("")]);
    try {
      const response = await fetch(`${wisp.url}/echo/me?q=1`, {
        method: "POST",
        headers: { "x-probe": "probed" },
        body: "the body",
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/plain");
      expect(await response.text()).toBe("spin1 1 /echo/me?q=1 probed the body");
      expect(await (await fetch(`${wisp.url}/again`)).text()).toBe("spin1 0 /again  ");
      // A method Spin 1's enum has no case for never reaches the module.
      expect((await fetch(`${wisp.url}/x`, { method: "PROPFIND" })).status).toBe(405);
    } finally {
      await wisp.stop();
    }
  });

  it("`wisp up --from` serves a Spin 1 module with the same executor", async () => {
    const wisp = await WispProcess.up(["--from", fixtureWasm("spin1-http")]);
    try {
      expect(await (await fetch(`${wisp.url}/from`)).text()).toBe("spin1 0 /from  ");
    } finally {
      await wisp.stop();
    }
  });

  it("serves spin-config and key-value over the component's variables and key_value_stores", async () => {
    const wisp = await WispProcess.up([
      "-f",
      app(
        'key_value_stores = ["default"]\nsqlite_databases = ["default"]\n[component.web.variables]\ngreeting = "hello from a variable"\n',
      ),
    ]);
    try {
      expect(await (await fetch(`${wisp.url}/config`)).text()).toBe("hello from a variable");
      const stored = await fetch(`${wisp.url}/kv`, { method: "POST", body: "stored value" });
      expect({ status: stored.status, body: await stored.text() }).toEqual({ status: 200, body: "stored value" });
      const queried = await fetch(`${wisp.url}/sqlite`, { method: "POST", body: "forty-two" });
      expect({ status: queried.status, body: await queried.text() }).toEqual({ status: 200, body: "forty-two!" });
    } finally {
      await wisp.stop();
    }
  });

  it("denies what the manifest does not grant, with the interface's own errors", async () => {
    const wisp = await WispProcess.up(["-f", app("")]);
    try {
      const config = await fetch(`${wisp.url}/config`);
      // spin-config's `provider` case (0): no such variable for this component.
      expect({ status: config.status, body: await config.text() }).toEqual({ status: 500, body: "config error 0" });
      const kv = await fetch(`${wisp.url}/kv`, { method: "POST", body: "x" });
      // key-value's `access-denied` (2): the store is not in key_value_stores.
      expect({ status: kv.status, body: await kv.text() }).toEqual({ status: 500, body: "kv error 2" });
      const sqlite = await fetch(`${wisp.url}/sqlite`, { method: "POST", body: "x" });
      // sqlite's `access-denied` (1): the database is not in sqlite_databases.
      expect({ status: sqlite.status, body: await sqlite.text() }).toEqual({ status: 500, body: "sqlite error 1" });
    } finally {
      await wisp.stop();
    }
  });

  it("serves a Spin 1.4 module (a component type of the unversioned fermyon:spin world) the same way, not as a component", async () => {
    const dir = app('[component.web.variables]\ngreeting = "hello from 1.4"\n');
    copyFileSync(fixtureWasm("spin14-http"), join(dir, "web.wasm"));
    const wisp = await WispProcess.up(["-f", dir]);
    try {
      const response = await fetch(`${wisp.url}/a/b?c`);
      expect({ status: response.status, body: await response.text() }).toEqual({
        status: 200,
        body: "spin 1.4 at /a/b?c: hello from 1.4",
      });
      await expect.poll(() => wisp.stderr).toContain("[web] log from a Spin 1.4 module");
    } finally {
      await wisp.stop();
    }
  });

  it("serves a component of Spin 1.4's unversioned world (fermyon:spin/inbound-http, config, key-value) beside the 2.0 interfaces", async () => {
    const dir = app('key_value_stores = ["default"]\n[component.web.variables]\ngreeting = "hello"\n');
    copyFileSync(fixtureWasm("spin14-component"), join(dir, "web.wasm"));
    const wisp = await WispProcess.up(["-f", dir]);
    try {
      expect(await (await fetch(`${wisp.url}/x`)).text()).toBe("component at /x: hello");
      const stored = await fetch(`${wisp.url}/y`, { method: "POST", body: "kept" });
      expect({ status: stored.status, body: await stored.text() }).toEqual({
        status: 200,
        body: "component at /y: hello kv=kept",
      });
    } finally {
      await wisp.stop();
    }
    const closed = app("");
    copyFileSync(fixtureWasm("spin14-component"), join(closed, "web.wasm"));
    const denied = await WispProcess.up(["-f", closed]);
    try {
      // No variable: config's `provider` case; no store granted: key-value's `access-denied` (2).
      expect(await (await fetch(`${denied.url}/z`, { method: "POST", body: "x" })).text()).toBe(
        "component at /z: no greeting kv=kv error 2",
      );
    } finally {
      await denied.stop();
    }
  });

  it.skipIf(!existsSync(SPIN_LEGACY))(
    "serves Spin's legacy test app (version 1 manifest, TinyGo, Spin 1 Go SDK) as Spin's test expects",
    async () => {
      // A copy: wisp up writes .wisp/ beside the manifest, and ../shared is read-only data.
      const dir = mkdtempSync(join(tmpdir(), "wisp-legacy-"));
      cpSync(SPIN_LEGACY, dir, { recursive: true });
      const wisp = await WispProcess.up(["-f", dir]);
      try {
        const response = await fetch(`${wisp.url}/golang/hello`);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe("Hello Fermyon!\n");
      } finally {
        await wisp.stop();
      }
    },
  );
});
