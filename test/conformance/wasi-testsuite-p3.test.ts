import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnTracked } from "../support/child-processes.js";
import { repoRoot } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";
import { sharedComponentCache } from "../support/shared-cache.js";
import { waitFor } from "../support/wait-for.js";

/**
 * The WebAssembly wasi-testsuite's WASI 0.3 cases (Rust, wasm32-wasip3; ../shared/conformance,
 * outside the repo: data we reference, never commit), run as specification.md's operations
 * describe: `wasi:cli` commands through `wisp run` (their stdin written and stdout read while they
 * run), `wasi:http/service` cases through `wisp up --from`, with the requests they list.
 */
const CANDIDATES = [
  process.env.WISP_WASI_TESTSUITE_P3,
  resolve(repoRoot, "../shared/conformance/wasi-testsuite-p3"),
  // CI clones the repository elsewhere; the machine's shared data stays at /work/shared.
  "/work/shared/conformance/wasi-testsuite-p3",
].filter((dir): dir is string => Boolean(dir));
const SUITE = CANDIDATES.find((dir) => existsSync(dir)) ?? CANDIDATES[0]!;
const present = existsSync(SUITE);
if (!present)
  console.warn(
    `skipping wasi-testsuite 0.3: none of ${CANDIDATES.join(", ")} exists (set WISP_WASI_TESTSUITE_P3 to its folder)`,
  );

type Operation =
  | { type: "run"; args?: string[]; env?: Record<string, string> }
  | { type: "wait"; exit_code?: number }
  | { type: "write"; id: "stdin"; payload: string }
  | { type: "read"; id: "stdout" | "stderr"; payload: string }
  | {
      type: "request";
      method: string;
      path: string;
      headers?: Record<string, string>;
      body?: string;
      response: { status: number; headers?: Record<string, string>; body?: string };
    }
  | { type: "kill"; signal: NodeJS.Signals };

interface Spec {
  world?: string;
  operations?: Operation[];
}

const cli = join(repoRoot, "bundle", "cli", "main.js");
const env = { ...process.env, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), "wisp-p3-cache-")) };

/**
 * A `wisp run` command's operations: each read waits until its payload has appeared on that
 * stream. Run from the suite's folder with the file's own name, as the suite's runner does (a case
 * checks its arguments, the first of which is that name).
 */
async function runCommand(wasm: string, operations: Operation[]): Promise<void> {
  const run = operations.find((op) => op.type === "run") as Extract<Operation, { type: "run" }>;
  const flags = Object.entries(run.env ?? {}).flatMap(([key, value]) => ["--env", `${key}=${value}`]);
  const child = spawnTracked(process.execPath, [cli, "run", ...flags, wasm, "--", ...(run.args ?? [])], {
    stdio: ["pipe", "pipe", "pipe"],
    cwd: SUITE,
    env,
  });
  const seen = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (d: string) => (seen.stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (seen.stderr += d));
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  let stdinOpen = true;
  for (const op of operations) {
    if (op.type === "write") child.stdin.write(op.payload);
    else if (op.type === "read") {
      await waitFor(() => seen[op.id].includes(op.payload), 20_000).catch(() => undefined);
      expect(seen[op.id], `${op.id} of ${wasm}`).toContain(op.payload);
    } else if (op.type === "wait") {
      if (stdinOpen) child.stdin.end();
      stdinOpen = false;
      expect({ code: await exited }, seen.stderr).toEqual({ code: op.exit_code ?? 0 });
    }
  }
}

/** A `wasi:http/service` case: served by `wisp up --from`, each request sent and its response checked. */
async function serveHttp(wasm: string, operations: Operation[], cacheFor: (dir: string) => void): Promise<void> {
  const cwd = mkdtempSync(join(tmpdir(), "wisp-p3-http-"));
  cacheFor(cwd);
  const wisp = await WispProcess.up(["--from", wasm], { cwd });
  try {
    for (const op of operations) {
      if (op.type === "request") {
        const response = await fetch(new URL(op.path, wisp.url), {
          method: op.method,
          headers: op.headers,
          body: op.body === undefined || op.method === "GET" ? undefined : op.body,
        });
        const body = await response.text();
        const expected = op.response;
        expect(response.status, `${op.method} ${op.path}: ${wisp.stderr}`).toBe(expected.status);
        for (const [name, value] of Object.entries(expected.headers ?? {}))
          expect(response.headers.get(name), `${op.method} ${op.path}: header ${name}`).toBe(value);
        if (expected.body !== undefined) expect(body, `${op.method} ${op.path}`).toBe(expected.body);
      } else if (op.type === "kill") {
        expect(await wisp.stop(op.signal)).toBe(0);
      }
    }
  } finally {
    await wisp.stop("SIGKILL");
  }
}

describe.skipIf(!present)("wasi-testsuite 0.3 (wasm32-wasip3)", () => {
  const cases = present ? readdirSync(SUITE).filter((f) => f.endsWith(".wasm")) : [];
  const cacheFor = sharedComponentCache();

  it("finds the cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(9);
  });

  for (const file of cases) {
    const name = file.slice(0, -5);
    it(name, { timeout: 120_000 }, async () => {
      const specFile = join(SUITE, `${name}.json`);
      const spec: Spec = existsSync(specFile) ? (JSON.parse(readFileSync(specFile, "utf8")) as Spec) : {};
      const operations = spec.operations ?? [{ type: "run" }, { type: "wait" }];
      if (spec.world === "wasi:http/service") await serveHttp(join(SUITE, file), operations, cacheFor);
      else await runCommand(file, operations);
    });
  }
});
