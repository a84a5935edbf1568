import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { runWisp } from "../support/wisp-process.js";

/** An app folder holding `spin.toml` and the given files. */
function app(manifest: string, files: Record<string, string | { copy: string }> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "wisp-app-"));
  writeFileSync(join(dir, "spin.toml"), manifest);
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === "string") writeFileSync(join(dir, name), content);
    else copyFileSync(content.copy, join(dir, name));
  }
  return dir;
}

const header = 'spin_manifest_version = 2\n[application]\nname = "broken"\n';
const route = (executor = "") => `[[trigger.http]]\nroute = "/..."\ncomponent = "web"\n${executor}\n`;

async function upFails(dir: string) {
  const result = await runWisp(["up", "-f", dir, "--listen", "127.0.0.1:0"]);
  expect(result.code).toBe(1);
  // A user error, never a stack trace.
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result.stderr;
}

describe("wisp up refuses a broken app at start with a message that names the thing", () => {
  it("a component whose source is missing", async () => {
    const dir = app(header + route() + '[component.web]\nsource = "missing.wasm"\n');
    const stderr = await upFails(dir);
    expect(stderr).toContain("error[COMPONENT_SOURCE_MISSING]");
    expect(stderr).toContain("component web");
    expect(stderr).toContain(join(dir, "missing.wasm"));
  });

  it("a source that is not WebAssembly", async () => {
    const dir = app(header + route('executor = { type = "wagi" }') + '[component.web]\nsource = "web.wasm"\n', {
      "web.wasm": "not wasm at all",
    });
    const stderr = await upFails(dir);
    expect(stderr).toContain("error[COMPONENT_INVALID_WASM]");
    expect(stderr).toMatch(/component web: .*web\.wasm/);
  });

  it("a WASI module routed to the wasi:http executor", async () => {
    const dir = app(header + route() + '[component.web]\nsource = "web.wasm"\n', {
      "web.wasm": { copy: fixtureWasm("wagi-hello") },
    });
    const stderr = await upFails(dir);
    expect(stderr).toContain("error[COMPONENT_INVALID_WASM]");
    expect(stderr).toContain('executor = { type = "wagi" }');
  });

  it("a component routed to the WAGI executor", async () => {
    const dir = app(header + route('executor = { type = "wagi" }') + '[component.web]\nsource = "web.wasm"\n', {
      "web.wasm": { copy: fixtureWasm("http-probe") },
    });
    const stderr = await upFails(dir);
    expect(stderr).toContain("is a component, not a WASI preview1 module");
  });

  it("a WASI module that imports what no WAGI host provides", async () => {
    const dir = app(header + route('executor = { type = "wagi" }') + '[component.web]\nsource = "web.wasm"\n', {
      "web.wasm": { copy: fixtureWasm("wagi-unknown-import") },
    });
    const stderr = await upFails(dir);
    expect(stderr).toContain("error[COMPONENT_LINK]");
    expect(stderr).toContain("env.host_magic");
  });

  it("a WAGI route whose entrypoint the module does not export", async () => {
    const dir = app(
      header + route('executor = { type = "wagi", entrypoint = "serve" }') + '[component.web]\nsource = "web.wasm"\n',
      { "web.wasm": { copy: fixtureWasm("wagi-hello") } },
    );
    const stderr = await upFails(dir);
    expect(stderr).toContain("exports no serve function");
  });

  it("a misspelt key, with its line and the key it was probably meant to be", async () => {
    const dir = app(
      header + route() + '[component.web]\nsource = "web.wasm"\nallowed_outbound_host = ["https://example.com"]\n',
    );
    const stderr = await upFails(dir);
    expect(stderr).toContain("error[MANIFEST_INVALID]");
    expect(stderr).toContain(`${join(dir, "spin.toml")}:10:`);
    expect(stderr).toContain("component.web.allowed_outbound_host");
    expect(stderr).toContain("did you mean `allowed_outbound_hosts`?");
  });

  it("a TOML syntax error, with its line", async () => {
    const dir = app(header + "[[trigger.http]\nroute = 1\n");
    const stderr = await upFails(dir);
    expect(stderr).toContain("error[MANIFEST_SYNTAX]");
    expect(stderr).toContain(`${join(dir, "spin.toml")}:4:`);
  });

  it("no manifest at all", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-empty-"));
    const stderr = await upFails(dir);
    expect(stderr).toContain("error[MANIFEST_NOT_FOUND]");
    expect(stderr).toContain("wisp new");
  });
});
