import { copyFileSync, cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm, repoRoot } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";

/**
 * A wasi:http 0.3 guest reaching for files outside its tree through WASI 0.3's filesystem
 * (p3-spin.component.wat's `/f/NAME`: open-at(NAME) in its one preopen, `/` = its `files`): the
 * sandbox refuses `..` above the root with `not-permitted`, and whatever it asks, the server goes on.
 */
describe("WASI 0.3's filesystem against a guest climbing out of its files", () => {
  let wisp: WispProcess & { url: string };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-p3-files-"));
    cpSync(join(repoRoot, "test/fixtures/apps/spin4"), dir, { recursive: true });
    copyFileSync(fixtureWasm("p3-spin"), join(dir, "spin4.wasm"));
    copyFileSync(fixtureWasm("http-kv"), join(dir, "kv.wasm"));
    // A file beside the app's `files`, one level up from the tree the guest sees.
    writeFileSync(join(dir, "secret.txt"), "not for the guest");
    wisp = await WispProcess.up(["-f", dir]);
  });
  afterAll(async () => {
    await wisp?.stop();
  });

  /** A GET whose path goes out as written (fetch would resolve `..` before sending). */
  const raw = (path: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const { hostname, port } = new URL(wisp.url);
      request({ hostname, port, path }, (res) => {
        res.resume();
        resolve(Object.fromEntries(Object.entries(res.headers).filter(([name]) => name.startsWith("x-"))));
      })
        .on("error", reject)
        .end();
    });

  it('refuses `..` above the root (not-permitted, error-code 30: "N"), and `.` opens the root itself', async () => {
    expect(await raw("/granted/f/..")).toEqual({ "x-error": "N" });
    // The root is a directory: its stream has no bytes.
    expect(await raw("/granted/f/.")).toEqual({ "x-keys": "" });
    expect(await raw("/granted/f/hello.txt")).toEqual({ "x-keys": "hello from a file" });
  });
});
