import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runWisp, WispProcess } from "../../support/wisp-process.js";
import { newBuild, noRustWasi, served } from "./template-project.js";

const noRust = await noRustWasi();
if (noRust) console.warn(`skipping the http-rust template build: ${noRust}`);

describe("templates: the compiled WAGI templates (C, AssemblyScript, Rust)", () => {
  it("http-c: builds with clang and serves under WAGI", async () => {
    const { dir } = await newBuild("http-c", "hello-c");
    expect(await (await served(dir, "/a/b?q=1")).text()).toBe("Hello from hello-c!\npath info: /a/b\nquery: q=1\n");
  });

  it("wisp up --build builds before serving", async () => {
    const parent = mkdtempSync(join(tmpdir(), "wisp-upbuild-"));
    await runWisp(["new", "http-c", "fresh"], { cwd: parent });
    const wisp = await WispProcess.up(["--build"], { cwd: join(parent, "fresh") });
    try {
      expect(wisp.stdout).toContain("Built fresh in");
      expect(await (await fetch(`${wisp.url}/`)).text()).toContain("Hello from fresh!");
    } finally {
      await wisp.stop();
    }
  });

  it("http-as: builds with Wisp's own AssemblyScript and serves under WAGI", async () => {
    const { dir } = await newBuild("http-as", "hello-as");
    expect(await (await served(dir, "/p")).text()).toBe("Hello from hello-as!\npath info: /p\n");
  });

  it.skipIf(noRust !== undefined)("http-rust: builds with cargo and serves under WAGI", async () => {
    const { dir } = await newBuild("http-rust", "hello-rust");
    expect(await (await served(dir, "/r")).text()).toBe("Hello from hello-rust!\npath info: /r\n");
  });
});
