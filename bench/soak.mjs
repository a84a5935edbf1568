// Soak: a server under wrk for a long run while its resident memory is sampled every second, to
// show whether it keeps growing once warm (issue 5: no growth between minute 1 and minute 2).
import { rssMb } from "./servers.mjs";
import { wrkAsync } from "./wrk.mjs";

/** RSS saw-tooths with garbage collection, so "RSS at second t" is the mean of the 5 samples up to t. */
const WINDOW = 5;

function rssAt(samples, second) {
  const window = samples.slice(Math.max(0, second - WINDOW), second);
  return window.reduce((a, b) => a + b, 0) / window.length;
}

/**
 * Runs wrk for `seconds` against a freshly started server, sampling its RSS each second, and
 * reports RSS at the end of the first half and at the end (minute 1 and minute 2 of a 120 s soak)
 * and the growth between them.
 */
export async function soak(name, startServer, { seconds, connections }) {
  const server = await startServer();
  const samples = [];
  const sampler = setInterval(() => samples.push(rssMb(server.pid)), 1000);
  try {
    const result = await wrkAsync(server.url + "/", { connections, duration: seconds });
    clearInterval(sampler);
    const halfMb = rssAt(samples, Math.floor(seconds / 2));
    const endMb = rssAt(samples, samples.length);
    return {
      name,
      seconds,
      connections,
      rps: result.rps,
      p99: result.p99,
      errors: result.errors,
      halfMb,
      endMb,
      growthMb: endMb - halfMb,
      growthPct: ((endMb - halfMb) / halfMb) * 100,
      rssMbBySecond: samples,
    };
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
}
