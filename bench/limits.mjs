// The throughput cost of Wisp's per-component limits: the WAT wasi:http hello with the default
// limits against the same component with limits so high they never bind. Wisp has no switch that
// turns limits off: with these values the deadline timer, the memory maximum and the body count
// still run, so this measures what the limits' values cost, not their machinery.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { paired } from "./paired.mjs";
import { wispApp } from "./servers.mjs";
import { median } from "./stats.mjs";

/** `[component.ID.tool.wisp]` at what each key allows at most: setTimeout's longest delay, all of wasm32's 4 GiB, 1000 GiB. */
export const LIMITS_OFF = { timeout: 2_147_483_647, max_memory: "4GiB", max_request_body: "1000GiB" };

/** An app serving `wasm` on `/...`, with `limits` as its `[component.hello.tool.wisp]` table (none: the defaults). */
function limitsApp(wasm, limits) {
  const dir = mkdtempSync(join(tmpdir(), "wisp-bench-limits-"));
  copyFileSync(wasm, join(dir, "hello.wasm"));
  let manifest =
    'spin_manifest_version = 2\n[application]\nname = "limits"\n[[trigger.http]]\nroute = "/..."\ncomponent = "hello"\n[component.hello]\nsource = "hello.wasm"\n';
  if (limits)
    manifest += `[component.hello.tool.wisp]\n${Object.entries(limits)
      .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
      .join("\n")}\n`;
  writeFileSync(join(dir, "spin.toml"), manifest);
  return dir;
}

/**
 * Both servers take turns under wrk (see paired): the cost is the median of the rounds' costs.
 * Off is the base, on the other side.
 */
export async function limitsCost(wasm, { connections, rounds = 4, seconds = 2 }) {
  const dirs = { on: limitsApp(wasm), off: limitsApp(wasm, LIMITS_OFF) };
  try {
    const measured = await paired(
      () => wispApp(dirs.off),
      () => wispApp(dirs.on),
      { connections, rounds, seconds },
    );
    const roundCostsPct = measured.roundRatios.map((ratio) => (1 - ratio) * 100);
    return {
      rounds,
      seconds,
      connections,
      offLimits: LIMITS_OFF,
      on: measured.other,
      off: measured.base,
      costPct: median(roundCostsPct),
      roundCostsPct,
    };
  } finally {
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  }
}
