// Runs wrk (Debian's package) against a URL and parses what it prints.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** Durations wrk prints ("812.00us", "1.20ms", "2.00s") in milliseconds. */
function ms(text) {
  const match = /([\d.]+)(us|ms|s|m)/.exec(text ?? "");
  if (!match) return NaN;
  const value = Number(match[1]);
  return { us: value / 1000, ms: value, s: value * 1000, m: value * 60_000 }[match[2]];
}

export function wrk(url, { connections, duration, script }) {
  const args = [`-t${Math.min(2, connections)}`, `-c${connections}`, `-d${duration}s`, "--latency"];
  if (script) args.push("-s", join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, script));
  const out = execFileSync("wrk", [...args, url], { encoding: "utf8" });
  const latency = /Latency\s+(\S+)\s+(\S+)\s+(\S+)/.exec(out);
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
    + (/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)?.slice(1).reduce((a, b) => a + Number(b), 0) ?? 0);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    transferPerSec: /Transfer\/sec:\s+(\S+)/.exec(out)?.[1],
    p50: ms(/^\s*50%\s+(\S+)/m.exec(out)?.[1]),
    p99: ms(/^\s*99%\s+(\S+)/m.exec(out)?.[1]),
    max: ms(latency?.[3]),
    errors,
  };
}
