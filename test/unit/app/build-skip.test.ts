import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildApp, type BuildableComponent } from "../../../src/app/build-app.js";

/** An app whose one component copies `src/in.txt` to `out.txt`, watching `src/*.txt`. */
function app(): string {
  const dir = mkdtempSync(join(tmpdir(), "wisp-build-skip-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/in.txt"), "one");
  return dir;
}

const component = (dir: string): BuildableComponent => ({
  id: "copy",
  build: { command: "cp src/in.txt out.txt", watch: ["src/*.txt"] },
  source: { kind: "path", path: join(dir, "out.txt") },
});

const build = (dir: string) => buildApp(dir, [component(dir)], { log: () => {} });

describe("wisp build skips what is up to date", () => {
  it("skips a component whose watched files and command are unchanged, and builds it when a file changes", async () => {
    const dir = app();
    expect(await build(dir)).toBe(1);
    expect(await build(dir)).toBe(0);
    writeFileSync(join(dir, "src/in.txt"), "two");
    expect(await build(dir)).toBe(1);
    writeFileSync(join(dir, "src/more.txt"), "");
    expect(await build(dir)).toBe(1);
  });

  it("skips it in a copy of the app folder (cp -r: a new path, new inodes and times, the same files)", async () => {
    const dir = app();
    expect(await build(dir)).toBe(1);
    const copy = mkdtempSync(join(tmpdir(), "wisp-build-copy-"));
    cpSync(dir, copy, { recursive: true, preserveTimestamps: false });
    expect(await build(copy)).toBe(0);
    writeFileSync(join(copy, "src/in.txt"), "changed in the copy");
    expect(await build(copy)).toBe(1);
  });
});
