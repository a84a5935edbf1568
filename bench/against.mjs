#!/usr/bin/env node
// `npm run bench:against -- --base REF`: this tree's Wisp against the Wisp of an earlier commit,
// measured in turns in one run (see paired.mjs), on the guests whose speed a change to the server
// can move: the C WAGI hello inline and on workers, the WAT wasi:http hello and a 1 MiB echo.
// The base is built from `git archive REF` into a temporary folder with this tree's node_modules,
// and both serve the same guest files. A ratio above 1 means this tree is faster.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchFlags, requireWrk } from "./cli-args.mjs";
import { paired } from "./paired.mjs";
import { root, start, wispCli } from "./servers.mjs";

const values = benchFlags(
  "usage: npm run bench:against -- --base REF [--rounds N --seconds SECONDS --connections N]",
  "(defaults: --base main, 6 rounds of 3 s, 50 connections)",
  {
    base: { type: "string", default: "main" },
    rounds: { type: "string", default: "6" },
    seconds: { type: "string", default: "3" },
    connections: { type: "string", default: "50" },
  },
  (v) =>
    !(Number.isInteger(Number(v.rounds)) && Number(v.rounds) >= 2)
      ? "--rounds is a whole number, at least 2"
      : !(Number(v.seconds) >= 1)
        ? "--seconds is at least 1"
        : !(Number.isInteger(Number(v.connections)) && Number(v.connections) >= 1)
          ? "--connections is a whole number, at least 1"
          : undefined,
);
requireWrk();
const log = (line) => process.stdout.write(line + "\n");
const git = (...args) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();

let commit;
try {
  commit = git("rev-parse", "--verify", `${values.base}^{commit}`);
} catch {
  process.stderr.write(`--base ${values.base} is not a commit of this repository (try a branch, a tag or a hash)\n`);
  process.exit(2);
}
const fixture = (name) => join(root, "test/fixtures/.build", `${name}.wasm`);
execFileSync(process.execPath, [join(root, "scripts/build-fixtures.mjs"), "wagi-hello", "wagi-echo", "http-hello"], {
  stdio: "inherit",
});

const baseDir = mkdtempSync(join(tmpdir(), "wisp-bench-base-"));
try {
  log(`building the base, ${values.base} (${commit.slice(0, 10)}), in ${baseDir}`);
  execFileSync("sh", ["-c", `git -C "${root}" archive ${commit} | tar -x -C "${baseDir}"`], { stdio: "inherit" });
  symlinkSync(join(root, "node_modules"), join(baseDir, "node_modules"));
  execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.build.json"], { cwd: baseDir, stdio: "inherit" });
  execFileSync(process.execPath, ["scripts/bundle.mjs"], { cwd: baseDir, stdio: "inherit" });
  const baseCli = join(baseDir, "bundle/cli/main.js");
  if (!existsSync(wispCli)) throw new Error(`${wispCli} is missing: run npm run build first`);

  const up =
    (cli, wasm, flags = []) =>
    () =>
      start([cli, "up", "--listen", "127.0.0.1:0", "--from", wasm, ...flags]);
  const options = {
    rounds: Number(values.rounds),
    seconds: Number(values.seconds),
    connections: Number(values.connections),
  };
  const scenarios = [
    ["C WAGI hello", "wagi-hello", [], options],
    ["C WAGI hello, --no-inline", "wagi-hello", ["--no-inline"], options],
    ["WAT wasi:http hello", "http-hello", [], options],
    ["C WAGI echo of 1 MiB", "wagi-echo", [], { ...options, connections: 10, script: "post-1mb.lua" }],
  ];
  const rows = [];
  for (const [name, guest, flags, settings] of scenarios) {
    const result = await paired(up(baseCli, fixture(guest), flags), up(wispCli, fixture(guest), flags), settings);
    rows.push({ name, ...result });
    log(
      `${name}: this tree ${result.other.rps.toFixed(0)} vs base ${result.base.rps.toFixed(0)} req/s, ratio ${result.ratio.toFixed(3)} (rounds ${result.roundRatios.map((r) => r.toFixed(2)).join(", ")}), p99 ${result.other.p99.toFixed(2)} vs ${result.base.p99.toFixed(2)} ms`,
    );
  }
  log(`\n| guest | this tree req/s | base req/s | ratio (median of ${options.rounds} rounds) |\n|---|---|---|---|`);
  for (const row of rows)
    log(`| ${row.name} | ${row.other.rps.toFixed(0)} | ${row.base.rps.toFixed(0)} | ${row.ratio.toFixed(3)} |`);
} finally {
  rmSync(baseDir, { recursive: true, force: true });
}
