import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../support/dist.js";
import { runWisp } from "../../support/wisp-process.js";

describe("templates: listing them, and the errors of wisp new and wisp build", () => {
  it("lists every template with what it needs", async () => {
    const listed = await runWisp(["templates", "list"]);
    for (const id of ["http-ts", "http-js", "http-c", "http-as", "http-rust", "redirect", "static-fileserver"]) expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain("rustup target add wasm32-wasip1");
  });

  it("refuses an unknown template, a bad name and a folder that exists, as usage errors (exit 2)", async () => {
    const parent = mkdtempSync(join(tmpdir(), "wisp-bad-"));
    const unknown = await runWisp(["new", "http-cobol", "x"], { cwd: parent });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error[TEMPLATE_NOT_FOUND]: there is no template named http-cobol");
    expect(unknown.stderr).toContain("http-ts");
    const badName = await runWisp(["new", "http-ts", "Bad_Name"], { cwd: parent });
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain("is not a valid name");
    await runWisp(["new", "http-ts", "twice"], { cwd: parent });
    expect((await runWisp(["new", "http-ts", "twice"], { cwd: parent })).stderr).toContain("already exists");
    expect((await runWisp(["new"], { cwd: parent })).code).toBe(2);
  });

  it("says 'did you mean' for a typo of a template, and lists every template", async () => {
    const parent = mkdtempSync(join(tmpdir(), "wisp-typo-"));
    const typo = await runWisp(["new", "http-tss", "foo"], { cwd: parent });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("error[TEMPLATE_NOT_FOUND]: there is no template named http-tss");
    expect(typo.stderr).toContain("did you mean http-ts?");
    for (const id of ["http-as", "http-c", "http-js", "http-rust", "http-ts", "redirect", "static-fileserver"]) expect(typo.stderr).toContain(id);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("wisp new with one word makes nothing: a template without a name, or a word that is no template", async () => {
    // Spin's `spin new X` takes X as the template and asks for the name; Wisp asks nothing.
    const parent = mkdtempSync(join(tmpdir(), "wisp-one-word-"));
    const typo = await runWisp(["new", "http-tss"], { cwd: parent });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("error[TEMPLATE_NOT_FOUND]: there is no template named http-tss");
    expect(typo.stderr).toContain("did you mean http-ts?");
    expect(typo.stderr).toContain("wisp new http-ts NAME");
    const nameOnly = await runWisp(["new", "hello"], { cwd: parent });
    expect(nameOnly.code).toBe(2);
    expect(nameOnly.stderr).toContain("error[TEMPLATE_NOT_FOUND]: there is no template named hello");
    expect(nameOnly.stderr).toContain("wisp new TEMPLATE hello");
    const noName = await runWisp(["new", "http-js"], { cwd: parent });
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain("error[USAGE]: wisp new http-js: the app's name is missing");
    expect(noName.stderr).toContain("wisp new http-js NAME");
    expect(readdirSync(parent)).toEqual([]);
  });

  it("wisp new --help and wisp add --help list every template in templates/", async () => {
    const ids = readdirSync(join(repoRoot, "templates"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(ids).toContain("static-fileserver");
    for (const command of ["new", "add"]) {
      const help = await runWisp([command, "--help"]);
      expect(help.code).toBe(0);
      for (const id of ids) expect(help.stdout).toMatch(new RegExp(`^  ${id} +\\S`, "m"));
    }
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
});
