import { APP_MANIFEST_EXTENSIONS } from "../../../src/app/load-app-manifest.js";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isWispError } from "../../../src/errors/wisp-error.js";
import { loadManifest } from "../../../src/manifest/index.js";
import { repoRoot } from "../../support/dist.js";

/** Each NAME.toml beside a NAME.err must fail to load with a message holding every line of NAME.err. */
const dir = join(repoRoot, "test/fixtures/manifests/invalid");
const cases = readdirSync(dir)
  .filter((f) => f.endsWith(".toml"))
  .map((f) => f.slice(0, -5));

describe("invalid manifests are refused with a message that names the file, the key and the fix", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThanOrEqual(10));

  it.each(cases)("%s", async (name) => {
    const error = await loadManifest(join(dir, `${name}.toml`), APP_MANIFEST_EXTENSIONS).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isWispError(error), `${name}.toml loaded without an error`).toBe(true);
    const text = (error as { format(): string }).format();
    expect(text).toContain(join(dir, `${name}.toml`));
    for (const line of readFileSync(join(dir, `${name}.err`), "utf8")
      .split("\n")
      .filter(Boolean)) {
      expect(text).toContain(line.replace(`${name}.toml`, join(dir, `${name}.toml`)));
    }
    expect(text).toContain("hint: ");
  });
});
