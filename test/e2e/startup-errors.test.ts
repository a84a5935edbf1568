import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { distUrl, fixtureWasm } from "../support/dist.js";
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

/** A wasi:http 0.3 component built by another toolchain (../shared/conformance, when present). */
const WASI_HTTP_03 = "/work/shared/conformance/wasi-testsuite-p3/http-service.wasm";
if (!existsSync(WASI_HTTP_03)) console.warn(`skipping the wasi:http 0.3 start check: ${WASI_HTTP_03} is absent`);

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

  it("a component that exports no wasi:http handler, naming what it exports", async () => {
    // A core module exporting `run: func()`, made a component of the world that says so.
    const core = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07,
      0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
    ]);
    const { componentFromCore } = (await import(distUrl("toolchain/component/component-from-core.js").href)) as {
      componentFromCore: (core: Uint8Array, world: string, name: string) => Promise<Uint8Array>;
    };
    const component = await componentFromCore(core, "package wisp:t;\nworld t {\n  export run: func();\n}\n", "t");
    const dir = app(header + route() + '[component.web]\nsource = "web.wasm"\n');
    writeFileSync(join(dir, "web.wasm"), component);
    const stderr = await upFails(dir);
    expect(stderr).toContain("error[COMPONENT_LINK]");
    expect(stderr).toContain("component web");
    expect(stderr).toContain(
      "it exports run, and neither wasi:http/incoming-handler@0.2.x nor wasi:http/handler@0.3.x, which a wasi:http route calls",
    );
  });

  it.skipIf(!existsSync(WASI_HTTP_03))(
    "a wasi:http 0.3 component importing an interface version Wisp does not serve (wasi:http/types@0.4.0)",
    async () => {
      // A 0.3 component another toolchain built, its wasi:http/types renamed to a version no one serves.
      const { print, parse } = await import("@bytecodealliance/jco-transpile/wasm-tools");
      const wat = await print(readFileSync(WASI_HTTP_03));
      const dir = app(header + route() + '[component.web]\nsource = "web.wasm"\n');
      writeFileSync(
        join(dir, "web.wasm"),
        await parse(wat.replaceAll("wasi:http/types@0.3.0", "wasi:http/types@0.4.0")),
      );
      const stderr = await upFails(dir);
      expect(stderr).toContain("error[COMPONENT_LINK]");
      expect(stderr).toContain(
        "wasi:http/types@0.4.0, a version Wisp does not serve (it serves wasi:http/types at 0.2.x, 0.3.x and 0.3.0-rc-2026-03-15)",
      );
    },
  );

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
