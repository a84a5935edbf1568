// The command line of a bench script: its flags parsed, --help answered, a bad flag refused with
// what is wrong and the usage (exit 2, no stack trace), and wrk looked for before anything starts.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

/** Parses `options` (plus --help, which prints `usage` and `defaults` and exits 0); `check` names a bad value, or returns undefined. */
export function benchFlags(usage, defaults, options, check) {
  const refuse = (message) => {
    process.stderr.write(`${message}\n${usage}\n`);
    process.exit(2);
  };
  let values;
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: "boolean", default: false } } }));
  } catch (error) {
    refuse(error.message);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n${defaults}\n`);
    process.exit(0);
  }
  const bad = check(values);
  if (bad) refuse(bad);
  return values;
}

/** Exits 1 with how to install wrk when it is missing. */
export function requireWrk() {
  if (!spawnSync("wrk", ["-v"]).error) return;
  process.stderr.write("wrk is not installed: it is Debian's package `wrk` (apt-get install wrk)\n");
  process.exit(1);
}
