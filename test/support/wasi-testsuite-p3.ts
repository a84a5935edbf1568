import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
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

/**
 * A copy of the suite in `dir` whose components name WASI 0.3 as Spin 4.0's toolchains do, the
 * release candidate 0.3.0-rc-2026-03-15 (whose interfaces are 0.3.0's): each component printed,
 * its `@0.3.0` names renamed, and parsed again with wasm-tools (jco-transpile's).
 */
export async function asReleaseCandidate(dir: string): Promise<string> {
  const { print, parse } = await import("@bytecodealliance/jco-transpile/wasm-tools");
  const out = mkdtempSync(join(tmpdir(), "wisp-wasi-testsuite-p3-rc-"));
  for (const file of readdirSync(dir)) {
    if (file.endsWith(".wasm")) {
      const wat = await print(readFileSync(join(dir, file)));
      writeFileSync(join(out, file), await parse(wat.replaceAll("@0.3.0", "@0.3.0-rc-2026-03-15")));
    } else cpSync(join(dir, file), join(out, file), { recursive: true });
  }
  return out;
}
