import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The whole 0.3 set, from a mirror of WebAssembly/wasi-testsuite where one is on the machine (its
 * prebuilt binaries live on the `prod/testsuite-base` branch; this commit's set, so a newer one
 * never turns CI red unseen). Extracted into a temporary folder: the mirror has no work tree.
 */
const UPSTREAM_REPO = process.env.WISP_WASI_TESTSUITE_REPO ?? "/work/.mirror/WebAssembly+wasi-testsuite/repo";
const UPSTREAM_COMMIT = "9f80ca35444cfd9e63100725615140a346652e6c";
const UPSTREAM_DIR = "tests/rust/testsuite/wasm32-wasip3";

export function upstreamSet(): string | undefined {
  if (!existsSync(UPSTREAM_REPO)) {
    console.warn(
      `skipping the upstream wasi-testsuite 0.3 set: no mirror at ${UPSTREAM_REPO} (set WISP_WASI_TESTSUITE_REPO)`,
    );
    return undefined;
  }
  const out = mkdtempSync(join(tmpdir(), "wisp-wasi-testsuite-p3-"));
  try {
    const archive = execFileSync("git", ["--git-dir", UPSTREAM_REPO, "archive", UPSTREAM_COMMIT, UPSTREAM_DIR], {
      maxBuffer: 1 << 30,
    });
    execFileSync("tar", ["-x", "-C", out], { input: archive });
  } catch (error) {
    console.warn(`skipping the upstream wasi-testsuite 0.3 set: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  }
  return join(out, UPSTREAM_DIR);
}
