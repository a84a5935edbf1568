#!/usr/bin/env node
// A longer fuzzing pass than CI's: runs test/adversarial/properties.test.ts (the properties of the
// WAGI output parser, response heads and the router, and the mutated-manifest fuzzer) with every
// run count multiplied. CI runs the same file at scale 1 as part of `npm test` (~20 s bound).
//   node scripts/fuzz.mjs [SCALE]     SCALE defaults to 20
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scale = process.argv[2] ?? "20";
if (!/^\d+(\.\d+)?$/.test(scale)) {
  console.error(`usage: node scripts/fuzz.mjs [SCALE]  (a number, not ${JSON.stringify(scale)})`);
  process.exit(2);
}
const result = spawnSync(join(root, "node_modules/.bin/vitest"), ["run", "test/adversarial/properties.test.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, WISP_FUZZ_RUNS: scale },
});
process.exit(result.status ?? 1);
