import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runWisp } from "../../support/wisp-process.js";

describe("templates: listing them, and the errors of wisp new and wisp build", () => {
  it("lists every template with what it needs", async () => {
    const listed = await runWisp(["templates", "list"]);
    for (const id of ["http-ts", "http-js", "http-c", "http-as", "http-rust", "redirect", "static-fileserver"]) expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain("rustup target add wasm32-wasip1");
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
