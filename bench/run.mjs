#!/usr/bin/env node
// Throughput of Wisp against a plain Node `http` hello measured in the same run (a ratio: these
// machines are shared and noisy). Needs `wrk` (Debian package) and built fixtures (`npm run fixtures`).
//   npm run bench [-- --duration 5 --connections 50]
import { spawn, execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { duration: { type: "string", default: "5" }, connections: { type: "string", default: "50" } } });

function wrk(url) {
  const out = execFileSync("wrk", ["-t2", `-c${values.connections}`, `-d${values.duration}s`, "--latency", url], { encoding: "utf8" });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p99 = /99%\s+([\d.]+\w+)/.exec(out)?.[1];
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? "0";
  return { rps, p99, errors };
}

/** Starts a server process that prints "Serving URL", loads it with wrk (after a warm-up), stops it. */
async function measure(args, path = "/") {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /Serving (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`wisp exited ${code}`)));
  });
  wrk(url + path); // warm-up
  const result = wrk(url + path);
  child.kill("SIGINT");
  return result;
}

const baseline = () => measure([join(root, "bench/plain-node-server.mjs")]);
const wisp = (fixture, path) =>
  measure([join(root, "dist/cli/main.js"), "up", "--listen", "127.0.0.1:0", "--from", join(root, "test/fixtures/.build", fixture)], path);

const base = await baseline();
console.log(`plain node http hello:       ${base.rps.toFixed(0)} req/s, p99 ${base.p99}`);
for (const [name, fixture] of [
  ["WAGI C hello (fresh instance per request)", "wagi-hello.wasm"],
  ["small wasi:http component, WAT via wasm-tools (fresh instance per request)", "http-hello.wasm"],
  ["JS wasi:http component, componentize-js (fresh instance per request)", "http-probe.wasm"],
]) {
  const r = await wisp(fixture, "/");
  console.log(`${name}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99}, non-2xx ${r.errors} -> ${(100 * r.rps / base.rps).toFixed(1)}% of plain node`);
}
