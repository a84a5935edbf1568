import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../support/dist.js";
import { runWisp } from "../../support/wisp-process.js";
import { newBuild, served } from "./template-project.js";

describe("templates: http-ts, built by Wisp and type-checked", () => {
  it("http-ts: builds, serves, type-checks, and skips an unchanged rebuild", async () => {
    const { dir } = await newBuild("http-ts", "hello-ts");
    const response = await served(dir, "/some/path");
    expect(await response.json()).toMatchObject({ message: "Hello from hello-ts!", path: "/some/path", route: "/..." });
    // Nothing Wisp-specific inside: any wasi:http 0.2 host can run it.
    const { componentWit } = await import("@bytecodealliance/jco-transpile/wasm-tools");
    const wit = await componentWit(readFileSync(join(dir, "dist/hello-ts.wasm")));
    const worldLines = wit.split("\n").filter((line) => /^\s*(import|export) /.test(line)).map((line) => line.trim());
    expect(worldLines.filter((line) => line.startsWith("export"))).toEqual([expect.stringMatching(/^export wasi:http\/incoming-handler@0\.2\.\d+;$/)]);
    expect(worldLines.filter((line) => line.startsWith("import") && !/^import wasi:[a-z-]+\/[a-z-]+@0\.2\.\d+;$/.test(line))).toEqual([]);
    // The generated project type-checks with the types it ships.
    execFileSync(join(repoRoot, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8" });
    const again = await runWisp(["build"], { cwd: dir });
    expect(again.stdout).toContain("hello-ts is up to date");
    const source = join(dir, "src/index.ts");
    writeFileSync(source, readFileSync(source, "utf8").replace("Hello from", "Hi from"));
    const rebuilt = await runWisp(["build"], { cwd: dir });
    expect(rebuilt.stdout).toContain("Built hello-ts in");
    expect(await (await served(dir, "/")).json()).toMatchObject({ message: "Hi from hello-ts!" });
  });

  it("http-ts: the guest SDK's types come with the project", async () => {
    const parent = mkdtempSync(join(tmpdir(), "wisp-sdktypes-"));
    await runWisp(["new", "http-ts", "uses-sdk"], { cwd: parent });
    const dir = join(parent, "uses-sdk");
    writeFileSync(join(dir, "src/counter.ts"), [
      'import { kv } from "@wisp/sdk/kv";',
      'import { variables } from "@wisp/sdk/variables";',
      'import { sqlite } from "@wisp/sdk/sqlite";',
      'export const visits: number = Number(kv.open("default").getText("visits") ?? "0");',
      'export const greeting: string = variables.get("greeting");',
      'export const rows = sqlite.open().execute("SELECT 1 AS one", [1, "two", null]).rows;',
    ].join("\n"));
    execFileSync(join(repoRoot, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8" });
    writeFileSync(join(dir, "src/wrong.ts"), 'import { kv } from "@wisp/sdk/kv";\nexport const n: number = kv.open().keys();\n');
    expect(() => execFileSync(join(repoRoot, "node_modules/.bin/tsc"), ["-p", dir], { stdio: "pipe" })).toThrow();
  });

  it("http-ts: a type error fails the type-check the template sets up", async () => {
    const parent = mkdtempSync(join(tmpdir(), "wisp-tscheck-"));
    await runWisp(["new", "http-ts", "typed"], { cwd: parent });
    const source = join(parent, "typed/src/index.ts");
    writeFileSync(source, readFileSync(source, "utf8") + "\nconst wrong: number = new Request('http://x').url;\n");
    expect(() => execFileSync(join(repoRoot, "node_modules/.bin/tsc"), ["-p", join(parent, "typed")], { stdio: "pipe" })).toThrow();
  });
});
