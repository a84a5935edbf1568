// What this machine charges for the two things every cold start is made of, measured in the run
// itself so the report can say what is in the way: a Node process's own start, and the first touch
// of a memory page (a start reads and compiles megabytes into fresh memory). On a VM whose page
// faults trap to the hypervisor the second is many times the well under 1 µs of bare metal.
import { execFileSync } from "node:child_process";
import { median } from "./stats.mjs";

const PROBE_MB = 64;
const PAGE = 4096;

/** Microseconds per 4 KiB page the first time a fresh process writes it (median of 3 processes). */
export function pageFirstTouchUs() {
  const script = `const n = ${PROBE_MB} << 20; const m = new Uint8Array(new WebAssembly.Memory({ initial: n >> 16 }).buffer);
const t = performance.now(); for (let i = 0; i < n; i += ${PAGE}) m[i] = 1; process.stdout.write(String((performance.now() - t) * 1000 / (n / ${PAGE})));`;
  return median(
    Array.from({ length: 3 }, () => Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }))),
  );
}

/** Milliseconds from spawning `node -e 0` to its exit (median of 5): Node's own start and stop here. */
export function nodeStartMs() {
  return median(
    Array.from({ length: 5 }, () => {
      const began = performance.now();
      execFileSync(process.execPath, ["-e", "0"]);
      return performance.now() - began;
    }),
  );
}
