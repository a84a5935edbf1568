import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnTracked } from "../support/child-processes.js";
import { repoRoot } from "../support/dist.js";
import { waitFor } from "../support/wait-for.js";

/** Whether process `pid` still exists (a zombie counts until it is reaped). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/*
 * Runs the probes in test/support/cleanup-probe in a vitest of their own: each starts `wisp up`,
 * records its pid, then fails, times out, or kills its worker. Checked from outside: once that
 * vitest has finished, none of the servers may be left.
 */
describe("every process a test starts is killed, even when the test fails", () => {
  it("leaves no server behind after a failed test, a timed-out test, or a crashed worker", async () => {
    const out = mkdtempSync(join(tmpdir(), "wisp-cleanup-"));
    const vitest = spawnTracked(
      process.execPath,
      [
        join(repoRoot, "node_modules/vitest/vitest.mjs"),
        "run",
        "--config",
        "test/support/cleanup-probe/vitest.config.ts",
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, WISP_CLEANUP_PROBE_OUT: out },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    vitest.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    vitest.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    const code = await new Promise<number | null>((resolve) => vitest.on("exit", resolve));

    expect(code, output).not.toBe(0);
    expect(readdirSync(out).sort(), output).toEqual(["crashed", "failed", "timed-out"]);
    const servers = readdirSync(out).map((name) => [name, Number(readFileSync(join(out, name), "utf8"))] as const);
    try {
      // Killed, they disappear once init reaps them.
      await waitFor(() => servers.every(([, pid]) => !alive(pid)), 10_000).catch(() => undefined);
      expect(servers.filter(([, pid]) => alive(pid)).map(([name]) => name)).toEqual([]);
    } finally {
      for (const [, pid] of servers) if (alive(pid)) process.kill(pid, "SIGKILL");
    }
  });
});
