import { copyFileSync, cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureWasm, repoRoot } from "../support/dist.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

// Requests a component makes to its own app (`allowed_outbound_hosts = ["self"]`), end to end on
// two worker threads. Each waiting guest holds a thread blocked on its host call; on the code
// before the fix a chain three deep waited for a free thread until its 20 s deadline, and a
// component calling itself in a loop stalled an unrelated component for seconds.

const WORKERS = 2;

describe("adversarial: requests to the app itself (self) cannot deadlock or starve the worker pool", () => {
  let wisp: WispProcess & { url: string };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-self-chain-"));
    cpSync(join(repoRoot, "test/fixtures/apps/self-chain"), dir, { recursive: true });
    copyFileSync(fixtureWasm("self-chain"), join(dir, "self-chain.wasm"));
    wisp = await WispProcess.up(["--workers", String(WORKERS)], { cwd: dir });
    // The first answer pays for loading the component on a thread: measure the rest without it.
    expect(await (await fetch(`${wisp.url}/plain`)).text()).toBe("plain");
  });
  afterAll(async () => {
    await wisp?.stop();
  });

  const timed = async (path: string) => {
    const started = Date.now();
    const response = await fetch(`${wisp.url}${path}`);
    return { status: response.status, text: await response.text(), ms: Date.now() - started };
  };

  it("completes a chain of self requests deeper than the pool has threads, well before its deadline", async () => {
    const chain = await timed(`/chain?depth=${WORKERS + 3}`);
    expect(chain).toMatchObject({ status: 200, text: "5 > 4 > 3 > 2 > 1 > bottom" });
    // The deadline is 20 s (spin.toml); the chain waited for it before the fix.
    expect(chain.ms).toBeLessThan(8_000);
    // Again, on the threads the first one started: quicker still.
    const again = await timed(`/chain?depth=${WORKERS + 3}`);
    expect(again.status).toBe(200);
    expect(again.ms).toBeLessThan(3_000);
  });

  it("cuts a component calling itself in a loop off at the depth limit: 508 to the guest, a log line naming it", async () => {
    const loop = await timed("/chain?loop=1");
    expect(loop.status).toBe(508);
    // Every guest in the chain saw its request answered 508, and passed that on.
    expect(loop.text).toMatch(/^loop > loop > .*loop detected/s);
    expect(loop.ms).toBeLessThan(8_000);
    await waitFor(() => /\[chain\] wisp: loop detected: .*11 .*deep/.test(wisp.stderr));
    // The server goes on.
    expect(await timed("/chain?depth=1")).toMatchObject({ status: 200, text: "1 > bottom" });
  });

  // After the cases above, threads they started still idle in the pool (see SURPLUS_IDLE_MS), as
  // on a server that has served self requests lately. On a pool that must first boot them (on
  // this 2-core machine ~0.3-0.6 s each, ten at once for two loops), the first answer took ~1.6 s.
  it("answers an unrelated component promptly while two loops run", async () => {
    const loops = [timed("/chain?loop=1"), timed("/chain?loop=1")];
    const plain: number[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      const answer = await timed("/plain");
      expect(answer).toMatchObject({ status: 200, text: "plain" });
      plain.push(answer.ms);
    }
    // Each loop ends in a clear error: 508 at the depth limit, or 503 when the pool may park no
    // more threads for requests to the app itself.
    for (const loop of await Promise.all(loops)) expect([503, 508]).toContain(loop.status);
    // Before the fix: ~4 s.
    expect(Math.max(...plain)).toBeLessThan(1_000);
  });
});
