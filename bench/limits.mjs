// The throughput cost of Wisp's per-component limits: the WAT wasi:http hello with the default
// limits against the same component with limits so high they never bind. Wisp has no switch that
// turns limits off: with these values the deadline timer, the memory maximum and the body count
// still run, so this measures what the limits' values cost, not their machinery.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wispApp } from "./servers.mjs";
import { mean, median } from "./stats.mjs";
import { wrk } from "./wrk.mjs";

/** `[component.ID.tool.wisp]` at what each key allows at most: setTimeout's longest delay, all of wasm32's 4 GiB, 1000 GiB. */
export const LIMITS_OFF = { timeout: 2_147_483_647, max_memory: "4GiB", max_request_body: "1000GiB" };

/** An app serving `wasm` on `/...`, with `limits` as its `[component.hello.tool.wisp]` table (none: the defaults). */
function limitsApp(wasm, limits) {
  const dir = mkdtempSync(join(tmpdir(), "wisp-bench-limits-"));
  copyFileSync(wasm, join(dir, "hello.wasm"));
  let manifest = 'spin_manifest_version = 2\n[application]\nname = "limits"\n[[trigger.http]]\nroute = "/..."\ncomponent = "hello"\n[component.hello]\nsource = "hello.wasm"\n';
  if (limits) manifest += `[component.hello.tool.wisp]\n${Object.entries(limits).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join("\n")}\n`;
  writeFileSync(join(dir, "spin.toml"), manifest);
  return dir;
}


/**
 * Both servers run at once and take turns under wrk (`rounds` runs of `seconds` each, the order
 * swapped every round), so the machine's drift falls on both alike. The cost is the median of the
 * rounds' costs: one round disturbed by another process on the machine does not decide it.
 */
export async function limitsCost(wasm, { connections, rounds = 4, seconds = 2 }) {
  const dirs = { on: limitsApp(wasm), off: limitsApp(wasm, LIMITS_OFF) };
  const servers = {};
  try {
    for (const key of ["on", "off"]) servers[key] = await wispApp(dirs[key]);
    const runs = { on: [], off: [] };
    for (const key of ["on", "off"]) wrk(servers[key].url, { connections, duration: 2 });
    for (let i = 0; i < rounds; i++) {
      for (const key of i % 2 ? ["off", "on"] : ["on", "off"]) runs[key].push(wrk(servers[key].url, { connections, duration: seconds }));
    }
    const summary = (key) => ({
      rps: mean(runs[key].map((r) => r.rps)),
      p99: mean(runs[key].map((r) => r.p99)),
      errors: runs[key].reduce((sum, r) => sum + r.errors, 0),
    });
    const roundCostsPct = runs.on.map((on, i) => (1 - on.rps / runs.off[i].rps) * 100);
    return { rounds, seconds, connections, offLimits: LIMITS_OFF, on: summary("on"), off: summary("off"), costPct: median(roundCostsPct), roundCostsPct };
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  }
}
