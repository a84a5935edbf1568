import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { runWisp, WispProcess } from "../support/wisp-process.js";

describe("wisp up: ways to start", () => {
  it("--from serves a WASI module under WAGI on every path", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "wisp-from-"));
    const wisp = await WispProcess.up(["--from", fixtureWasm("wagi-hello")], { cwd });
    try {
      expect(wisp.stdout).toContain(`wagi-hello: ${wisp.url} (wildcard)`);
      const response = await fetch(`${wisp.url}/any/path`);
      expect(await response.text()).toBe("hello from C\n");
    } finally {
      expect(await wisp.stop()).toBe(0);
    }
  });

  it("--from serves a wasi:http component on every path", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "wisp-from-"));
    const wisp = await WispProcess.up(["--from", fixtureWasm("http-probe")], { cwd });
    try {
      const report = (await (await fetch(`${wisp.url}/x/y`)).json()) as { headers: Record<string, string> };
      expect(report.headers["spin-path-info"]).toBe("/x/y");
      expect(report.headers["spin-matched-route"]).toBe("/...");
    } finally {
      await wisp.stop();
    }
  });

  it("finds the manifest in the current folder and warns about duplicate routes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-dup-"));
    writeFileSync(
      join(dir, "spin.toml"),
      `spin_manifest_version = 2
[application]
name = "dup"
[[trigger.http]]
route = "/a"
static_response = { body = "first" }
[[trigger.http]]
route = "/a"
static_response = { body = "second" }
`,
    );
    const wisp = await WispProcess.up([], { cwd: dir });
    try {
      expect(wisp.stdout).toContain(
        "warning: route /a (a static response) is defined again later; as in Spin, the later definition is used",
      );
      expect(await (await fetch(`${wisp.url}/a`)).text()).toBe("second");
    } finally {
      await wisp.stop();
    }
  });

  it("warns that a trigger type it does not run is ignored, and serves the HTTP routes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-redis-trigger-"));
    writeFileSync(
      join(dir, "spin.toml"),
      `spin_manifest_version = 2
[application]
name = "mixed"
[[trigger.http]]
route = "/"
static_response = { body = "http works" }
[[trigger.redis]]
channel = "messages"
component = "listener"
[component.listener]
source = "listener.wasm"
`,
    );
    const wisp = await WispProcess.up([], { cwd: dir });
    try {
      expect(wisp.stderr).toContain("[[trigger.redis]], which this version of Wisp does not run");
      expect(await (await fetch(wisp.url)).text()).toBe("http works");
    } finally {
      await wisp.stop();
    }
  });

  it("refuses with --from the options only a manifest's app can use, rather than ignore them", async () => {
    const result = await runWisp([
      "up",
      "--from",
      fixtureWasm("wagi-hello"),
      "--runtime-config-file",
      "absent.toml",
      "--key-value",
      "a=1",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error[USAGE]: --runtime-config-file, --key-value apply to an app with a manifest");
  });

  it("names a --from file that is missing, or is not WebAssembly, and says what to do", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-from-"));
    const missing = await runWisp(["up", "--from", join(dir, "absent.wasm")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      `error[COMPONENT_SOURCE_MISSING]: cannot read ${join(dir, "absent.wasm")} (ENOENT)`,
    );
    expect(missing.stderr).toContain("check the path given to --from");
    writeFileSync(join(dir, "notes.wasm"), "not wasm at all");
    const text = await runWisp(["up", "--from", join(dir, "notes.wasm")]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(
      `error[COMPONENT_INVALID_WASM]: ${join(dir, "notes.wasm")} is not a WebAssembly module or component`,
    );
  });

  it("refuses a --listen that is not HOST:PORT", async () => {
    const result = await runWisp(["up", "--from", fixtureWasm("wagi-hello"), "--listen", "localhost"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error[LISTEN_INVALID]");
  });
});
