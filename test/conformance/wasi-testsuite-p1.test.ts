import { cpSync, chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/dist.js";
import { runWisp } from "../support/wisp-process.js";

/**
 * The WebAssembly wasi-testsuite preview1 cases (../shared/conformance, outside the repo: data we
 * reference, never commit), each run through `wisp run` as specification.md describes.
 */
const CANDIDATES = [
  process.env.WISP_WASI_TESTSUITE,
  resolve(repoRoot, "../shared/conformance/wasi-testsuite-p1"),
  // CI clones the repository elsewhere; the machine's shared data stays at /work/shared.
  "/work/shared/conformance/wasi-testsuite-p1",
].filter((dir): dir is string => Boolean(dir));
const SUITE = CANDIDATES.find((dir) => existsSync(dir)) ?? CANDIDATES[0]!;
const present = existsSync(SUITE);
if (!present)
  console.warn(
    `skipping wasi-testsuite: none of ${CANDIDATES.join(", ")} exists (set WISP_WASI_TESTSUITE to its folder)`,
  );

interface Spec {
  args?: string[];
  env?: Record<string, string>;
  root?: string;
  dirs?: string[];
  exit_code?: number;
  stdout?: string;
}

function makeWritableCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), "wisp-wasi-testsuite-"));
  cpSync(SUITE, copy, { recursive: true });
  const chmodTree = (path: string) => {
    const stats = statSync(path);
    chmodSync(path, stats.mode | 0o200);
    if (stats.isDirectory()) for (const name of readdirSync(path)) chmodTree(join(path, name));
  };
  chmodTree(copy);
  return copy;
}

describe.skipIf(!present)("wasi-testsuite preview1 through `wisp run`", () => {
  // The tests write into their directories, so they run on a copy (the suite's files are read-only).
  const suite = present ? makeWritableCopy() : "";
  const cases = present
    ? readdirSync(suite)
        .filter((d) => statSync(join(suite, d)).isDirectory())
        .flatMap((dir) =>
          readdirSync(join(suite, dir))
            .filter((f) => f.endsWith(".wasm"))
            .map((f) => ({ dir: join(suite, dir), name: f.slice(0, -5) })),
        )
    : [];

  it("finds the cases", () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  for (const { dir, name } of cases) {
    it(`${dir.split("/").pop()}/${name}`, async () => {
      const specFile = join(dir, `${name}.json`);
      const spec: Spec = existsSync(specFile) ? JSON.parse(readFileSync(specFile, "utf8")) : {};
      const flags: string[] = [];
      if (spec.root) flags.push("--dir", `${join(dir, spec.root)}::/`);
      for (const d of spec.dirs ?? []) flags.push("--dir", `${join(dir, d)}::${d}`);
      for (const [key, value] of Object.entries(spec.env ?? {})) flags.push("--env", `${key}=${value}`);
      const result = await runWisp(["run", ...flags, join(dir, `${name}.wasm`), "--", ...(spec.args ?? [])], {
        cwd: dir,
      });
      // Stdout is checked only where the case names it, as the suite's own runner does: some
      // cases (path_open_preopen, poll_oneoff_stdio) print what they saw and pass.
      const expected = { code: spec.exit_code ?? 0, ...(spec.stdout === undefined ? {} : { stdout: spec.stdout }) };
      const received = { code: result.code, ...(spec.stdout === undefined ? {} : { stdout: result.stdout }) };
      expect(received, result.stderr).toEqual(expected);
    });
  }
});
