// Runs wrk (Debian's package) against a URL and parses what it prints.
import { execFile, execFileSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

/** Durations wrk prints ("812.00us", "1.20ms", "2.00s") in milliseconds. */
function ms(text) {
  const match = /([\d.]+)(us|ms|s|m)/.exec(text ?? "");
  if (!match) return NaN;
  const value = Number(match[1]);
  return { us: value / 1000, ms: value, s: value * 1000, m: value * 60_000 }[match[2]];
}

/** wrk's command line; `timeout` (seconds) raises wrk's 2 s default for servers slower than that. */
function wrkArgs(url, { connections, duration, script, timeout }) {
  const args = [`-t${Math.min(2, connections)}`, `-c${connections}`, `-d${duration}s`, "--latency"];
  if (timeout) args.push("--timeout", `${timeout}s`);
  if (script) args.push("-s", join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, script));
  return [...args, url];
}

function parse(out) {
  const latency = /Latency\s+(\S+)\s+(\S+)\s+(\S+)/.exec(out);
  const errors =
    Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) +
    (/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
      .exec(out)
      ?.slice(1)
      .reduce((a, b) => a + Number(b), 0) ?? 0);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    transferPerSec: /Transfer\/sec:\s+(\S+)/.exec(out)?.[1],
    p50: ms(/^\s*50%\s+(\S+)/m.exec(out)?.[1]),
    p99: ms(/^\s*99%\s+(\S+)/m.exec(out)?.[1]),
    max: ms(latency?.[3]),
    errors,
  };
}

export function wrk(url, options) {
  return parse(execFileSync("wrk", wrkArgs(url, options), { encoding: "utf8" }));
}

/** The same without blocking the event loop, so the caller can sample the server while wrk runs. */
export async function wrkAsync(url, options) {
  const { stdout } = await promisify(execFile)("wrk", wrkArgs(url, options), { encoding: "utf8" });
  return parse(stdout);
}
