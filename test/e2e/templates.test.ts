import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { distUrl, repoRoot } from "../support/dist.js";
import { runWisp, WispProcess } from "../support/wisp-process.js";

/** From an empty folder to a served handler, the way a user does it, for every template. */
async function newBuildServe(template: string, name: string) {
  const parent = mkdtempSync(join(tmpdir(), `wisp-${template}-`));
  const created = await runWisp(["new", template, name, "--accept-defaults"], { cwd: parent });
  expect(created.code, created.stderr).toBe(0);
  const dir = join(parent, name);
  const built = await runWisp(["build"], { cwd: dir });
  expect(built.code, built.stdout + built.stderr).toBe(0);
  return { dir, built };
}

async function served(dir: string, path: string, init?: RequestInit): Promise<Response> {
  const wisp = await WispProcess.up([], { cwd: dir });
  try {
    return await fetch(wisp.url + path, { redirect: "manual", ...init }).then(async (r) => new Response(await r.arrayBuffer(), r));
  } finally {
    await wisp.stop();
  }
}

/** Why the Rust template cannot be built on this machine, if it cannot. */
async function noRustWasi(): Promise<string | undefined> {
  const { findRustWasiToolchain } = (await import(distUrl("toolchain/rust/cargo-build.js").href)) as typeof import("../../src/toolchain/rust/cargo-build.js");
  return (await findRustWasiToolchain()) ? undefined : "no Rust toolchain with a WASI target (rustup target add wasm32-wasip1, or apt-get install rustc cargo libstd-rust-dev-wasm32)";
}

const noRust = await noRustWasi();
if (noRust) console.warn(`skipping the http-rust template build: ${noRust}`);

describe("templates: wisp new, wisp build, wisp up", () => {
  it("lists every template with what it needs", async () => {
    const listed = await runWisp(["templates", "list"]);
    for (const id of ["http-ts", "http-js", "http-c", "http-as", "http-rust", "redirect", "static-fileserver"]) expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain("rustup target add wasm32-wasip1");
  });

  it("http-ts: builds, serves, type-checks, and skips an unchanged rebuild", async () => {
    const { dir } = await newBuildServe("http-ts", "hello-ts");
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

  it("http-js: builds and serves, streaming a POST body back", async () => {
    const { dir } = await newBuildServe("http-js", "hello-js");
    expect(await (await served(dir, "/x")).json()).toMatchObject({ message: "Hello from hello-js!" });
    expect(await (await served(dir, "/echo", { method: "POST", body: "ping" })).text()).toBe("ping");
  });

  it("http-c: builds with clang and serves under WAGI", async () => {
    const { dir } = await newBuildServe("http-c", "hello-c");
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
    const { dir } = await newBuildServe("http-as", "hello-as");
    expect(await (await served(dir, "/p")).text()).toBe("Hello from hello-as!\npath info: /p\n");
  });

  it.skipIf(noRust !== undefined)("http-rust: builds with cargo and serves under WAGI", async () => {
    const { dir } = await newBuildServe("http-rust", "hello-rust");
    expect(await (await served(dir, "/r")).text()).toBe("Hello from hello-rust!\npath info: /r\n");
  });

  it("http-rust without Rust: wisp build names what is missing and the command that installs it", async () => {
    const parent = mkdtempSync(join(tmpdir(), "wisp-rust-"));
    await runWisp(["new", "http-rust", "no-rust"], { cwd: parent });
    // A PATH with no Rust on it stands for a machine without Rust (Wisp puts itself on the build's PATH).
    const built = await runWisp(["build"], { cwd: join(parent, "no-rust"), env: { ...process.env, PATH: "/nonexistent" } });
    expect(built.code).toBe(1);
    expect(built.stderr).toContain("error[TOOL_MISSING]: no Rust toolchain with a WASI target was found on PATH");
    expect(built.stderr).toContain("rustup target add wasm32-wasip1");
  });

  it("http-c without clang: wisp build names the tool and its install command", async () => {
    const parent = mkdtempSync(join(tmpdir(), "wisp-noclang-"));
    await runWisp(["new", "http-c", "no-clang"], { cwd: parent });
    const built = await runWisp(["build"], { cwd: join(parent, "no-clang"), env: { ...process.env, PATH: "/nonexistent" } });
    expect(built.code).toBe(1);
    expect(built.stderr).toContain("error[TOOL_MISSING]: component no-clang: `clang` is not installed");
    expect(built.stderr).toContain("apt-get install clang lld wasi-libc libclang-rt-dev-wasm32");
  });

  it("static-fileserver: content types, index.html, ETag and 304, 404, and no way out of the folder", async () => {
    const { dir } = await newBuildServe("static-fileserver", "site");
    mkdirSync(join(dir, "assets/docs"));
    writeFileSync(join(dir, "assets/docs/index.html"), "<p>docs</p>");
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255, 1, 254]);
    writeFileSync(join(dir, "assets/logo.png"), png);
    const wisp = await WispProcess.up([], { cwd: dir });
    try {
      const get = (path: string, headers: Record<string, string> = {}) => fetch(wisp.url + path, { headers });
      const index = await get("/");
      expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await index.text()).toContain("<h1>site</h1>");
      const css = await get("/style.css");
      expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
      const etag = css.headers.get("etag")!;
      expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
      expect((await get("/style.css", { "if-none-match": etag })).status).toBe(304);
      expect((await get("/style.css", { "if-none-match": '"other"' })).status).toBe(200);
      expect(await (await get("/docs/")).text()).toBe("<p>docs</p>");
      const logo = await get("/logo.png");
      expect(logo.headers.get("content-type")).toBe("image/png");
      expect(Buffer.from(await logo.arrayBuffer())).toEqual(png);
      expect((await get("/missing.txt")).status).toBe(404);
      expect((await get("/%2e%2e/%2e%2e/etc/passwd")).status).toBe(404);
      expect((await get("/..%2f..%2fetc%2fpasswd")).status).toBe(404);
    } finally {
      await wisp.stop();
    }
  });

  it("redirect: a static response, no build", async () => {
    const { dir } = await newBuildServe("redirect", "go-there");
    const response = await served(dir, "/anything");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("https://spinframework.dev/");
  });

  it("wisp add puts a second component, from another template, on its own route", async () => {
    const { dir } = await newBuildServe("http-c", "site");
    const added = await runWisp(["add", "http-js", "api"], { cwd: dir });
    expect(added.code, added.stderr).toBe(0);
    expect((await runWisp(["build"], { cwd: dir })).code).toBe(0);
    const wisp = await WispProcess.up([], { cwd: dir });
    try {
      expect(await (await fetch(`${wisp.url}/api/users`)).json()).toMatchObject({ message: "Hello from api!", route: "/api/..." });
      expect(await (await fetch(`${wisp.url}/other`)).text()).toContain("Hello from site!");
    } finally {
      await wisp.stop();
    }
  });

  it("refuses an unknown template, a bad name and a folder that exists", async () => {
    const parent = mkdtempSync(join(tmpdir(), "wisp-bad-"));
    const unknown = await runWisp(["new", "http-cobol", "x"], { cwd: parent });
    expect(unknown.stderr).toContain("error[TEMPLATE_NOT_FOUND]");
    expect(unknown.stderr).toContain("http-ts");
    expect((await runWisp(["new", "http-ts", "Bad_Name"], { cwd: parent })).stderr).toContain("is not a valid name");
    await runWisp(["new", "http-ts", "twice"], { cwd: parent });
    expect((await runWisp(["new", "http-ts", "twice"], { cwd: parent })).stderr).toContain("already exists");
  });
});
