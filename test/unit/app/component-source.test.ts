import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openComponentSource } from "../../../src/app/component-source.js";
import { isWispError } from "../../../src/errors/wisp-error.js";

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const WASM = new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 1, 2, 3]);

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), "wisp-source-"));
  const path = join(dir, "app.wasm");
  writeFileSync(path, WASM);
  return { path, cache: join(dir, "cache"), source: { kind: "path" as const, path } };
}

describe("openComponentSource", () => {
  it("remembers a file's digest by its stat, and the next open reads only its head", async () => {
    const { cache, source } = fixture();
    const first = await openComponentSource("app", source, cache);
    expect(first.digest).toBe(sha256(WASM));
    expect(Buffer.from(await first.read())).toEqual(Buffer.from(WASM));

    // Forge the remembered digest: a second open that reports it did not hash the file.
    const [entry] = readdirSync(join(cache, "digests"));
    const file = join(cache, "digests", entry!);
    writeFileSync(file, readFileSync(file, "utf8").replace(sha256(WASM), "f".repeat(64)));
    const second = await openComponentSource("app", source, cache);
    expect(second.digest).toBe("f".repeat(64));
    expect(Buffer.from(second.head)).toEqual(Buffer.from(WASM.subarray(0, 8)));
    // Reading checks the bytes against the digest it gave, so a stale entry never poisons a cache.
    const error = await second.read().catch((e: unknown) => e);
    expect(isWispError(error) && error.code).toBe("COMPONENT_SOURCE_DIGEST");
  });

  it("hashes a file again once it is rewritten", async () => {
    const { path, cache, source } = fixture();
    await openComponentSource("app", source, cache);
    const rebuilt = new Uint8Array([...WASM, 9]);
    writeFileSync(path, rebuilt);
    const reopened = await openComponentSource("app", source, cache);
    expect(reopened.digest).toBe(sha256(rebuilt));
    expect((await reopened.read()).length).toBe(rebuilt.length);
  });

  it("names the component and the file when the source is missing", async () => {
    const { cache } = fixture();
    const error = await openComponentSource("web", { kind: "path", path: "/nowhere/web.wasm" }, cache).catch(
      (e: unknown) => e,
    );
    expect(isWispError(error) && error.code).toBe("COMPONENT_SOURCE_MISSING");
    expect((error as Error).message).toContain("component web: cannot read its source /nowhere/web.wasm (ENOENT)");
  });

  it("still opens the source when the cache folder cannot be written", async () => {
    const { source } = fixture();
    const blocked = join(mkdtempSync(join(tmpdir(), "wisp-source-")), "file");
    writeFileSync(blocked, "not a folder");
    const opened = await openComponentSource("app", source, blocked);
    expect(opened.digest).toBe(sha256(WASM));
  });

  it("downloads a URL source once, checks it against the manifest's digest, and refuses one that differs", async () => {
    let downloads = 0;
    const server = createServer((_req, res) => {
      downloads++;
      res.end(WASM);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app.wasm`;
      const { cache } = fixture();
      const source = { kind: "url" as const, url, digest: `sha256:${sha256(WASM).toUpperCase()}` };
      const first = await openComponentSource("app", source, cache);
      expect(first.digest).toBe(sha256(WASM));
      expect(Buffer.from(await first.read())).toEqual(Buffer.from(WASM));
      await openComponentSource("app", source, cache);
      expect(downloads).toBe(1);
      const error = await openComponentSource("app", { ...source, digest: `sha256:${"0".repeat(64)}` }, cache).catch(
        (e: unknown) => e,
      );
      expect(isWispError(error) && error.code).toBe("COMPONENT_SOURCE_DIGEST");
    } finally {
      server.close();
    }
  });

  it.each([
    ["/dev/zero", "a character device"],
    [tmpdir(), "a folder"],
  ])("refuses a source that is not a regular file (%s) without reading it", async (path, kind) => {
    const error = await openComponentSource(
      "app",
      { kind: "path", path },
      join(mkdtempSync(join(tmpdir(), "wisp-source-")), "cache"),
    ).catch((e: unknown) => e);
    expect(isWispError(error) && error.code).toBe("COMPONENT_SOURCE_MISSING");
    expect((error as Error).message).toBe(`component app: its \`source\` ${path} is ${kind}, not a file`);
  });
});
