// Two servers measured in turns: the way to compare them on a machine whose speed drifts by tens
// of percent from one minute to the next (see DESIGN.md). Both run at once (the idle one costs
// nothing) and take turns under wrk, the order swapped every round, so the drift falls on both
// alike; the ratio is the median of the rounds' ratios, so one round disturbed by another process
// does not decide it.
import { peakRssMb } from "./servers.mjs";
import { mean, median } from "./stats.mjs";
import { wrk } from "./wrk.mjs";

/** Seconds of wrk each server gets before the rounds (a fresh server's first second is slower). */
const WARM_UP_SECONDS = 2;

/**
 * Starts `base` and `other`, warms both, then runs `rounds` rounds of `seconds` each on each.
 * Returns each side's mean req/s, median p99, errors and peak RSS, and `ratio`: the median of
 * the rounds' other/base req/s ratios.
 */
export async function paired(base, other, { connections, rounds = 4, seconds = 2, script }) {
  const servers = [];
  try {
    servers.push(await base(), await other());
    const options = { connections, duration: seconds, script };
    for (const server of servers) wrk(server.url, { ...options, duration: WARM_UP_SECONDS });
    const runs = [[], []];
    for (let i = 0; i < rounds; i++) {
      for (const side of i % 2 ? [1, 0] : [0, 1]) runs[side].push(wrk(servers[side].url, options));
    }
    const summary = (side) => ({
      rps: mean(runs[side].map((r) => r.rps)),
      p99: median(runs[side].map((r) => r.p99)),
      errors: runs[side].reduce((sum, r) => sum + r.errors, 0),
      rssMb: peakRssMb(servers[side].pid),
    });
    const roundRatios = runs[1].map((r, i) => r.rps / runs[0][i].rps);
    return {
      rounds,
      seconds,
      connections,
      base: summary(0),
      other: summary(1),
      ratio: median(roundRatios),
      roundRatios,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
