import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BufferInput, CollectingOutput } from "../../../../src/engine/io/memory-streams.js";
import { runWasiCommand } from "../../../../src/engine/wasi-p1/index.js";
import { fixtureWasm } from "../../../support/dist.js";

const filesModule = new WebAssembly.Module(readFileSync(fixtureWasm("wagi-files")));

/** Runs the wagi-files fixture (reads the file named by QUERY_STRING, or writes with `write:`). */
function run(query: string, root: string, writable: boolean): string {
  const stdout = new CollectingOutput();
  const code = runWasiCommand(filesModule, {
    args: ["files"],
    env: [["QUERY_STRING", query]],
    stdin: new BufferInput(new Uint8Array()),
    stdout,
    stderr: new CollectingOutput(),
    preopens: [{ guestPath: "/", hostPath: root, writable }],
  });
  expect(code).toBe(0);
  return stdout.text().replace("content-type: text/plain\n\n", "");
}

describe("runWasiCommand preopens", () => {
  it("reads granted files and refuses writes to a read-only tree", () => {
    const root = mkdtempSync(join(tmpdir(), "wisp-ro-"));
    writeFileSync(join(root, "a.txt"), "alpha");
    expect(run("/a.txt", root, false)).toBe("alpha");
    expect(run("write:/b.txt", root, false)).toBe("ERR Read-only file system\n");
    expect(existsSync(join(root, "b.txt"))).toBe(false);
    expect(run("/../../etc/hostname", root, false)).toMatch(/^ERR /);
  });

  it("lets the guest write where the grant is writable", () => {
    const root = mkdtempSync(join(tmpdir(), "wisp-rw-"));
    expect(run("write:/b.txt", root, true)).toBe("WROTE\n");
    expect(existsSync(join(root, "b.txt"))).toBe(true);
  });
});
