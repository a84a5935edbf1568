#!/usr/bin/env node
// `npm run bench`: Wisp against a plain Node `http` server measured in the same run (ratios: these
// machines are shared and noisy), with wrk (Debian's package) on loopback. Writes
// bench/results/latest.json, bench/results/throughput.svg and the tables in BENCHMARKS.md.
//   npm run bench [-- --duration 5 --connections 50]
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { barChart, markdown } from "./report.mjs";
import { peakRssMb, plainNode, plainNodeEcho, root, start, wispApp, wispCli, wispFrom } from "./servers.mjs";
import { wrk } from "./wrk.mjs";

const { values } = parseArgs({ options: { duration: { type: "string", default: "5" }, connections: { type: "string", default: "50" } } });
const duration = Number(values.duration);
const connections = Number(values.connections);
const fixture = (name) => join(root, "test/fixtures/.build", `${name}.wasm`);
const log = (line) => process.stdout.write(line + "\n");

/** Starts a server, warms it, measures it with wrk, records its peak memory, stops it. */
async function measure(name, startServer, { path = "/", script, conns = connections } = {}) {
  const server = await startServer();
  try {
    wrk(server.url + path, { connections: conns, duration: Math.min(2, duration), script });
    const result = wrk(server.url + path, { connections: conns, duration, script });
    const row = { name, ...result, rssMb: peakRssMb(server.pid), connections: conns };
    log(`${name.padEnd(44)} ${result.rps.toFixed(0).padStart(7)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  errors ${result.errors}  rss ${row.rssMb} MB`);
    return row;
  } finally {
    await server.stop();
  }
}

/** Milliseconds from spawning `wisp up` to its first 200, median of five. */
async function coldStart(startServer) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const began = performance.now();
    const server = await startServer();
    for (;;) {
      const response = await fetch(server.url).catch(() => undefined);
      if (response?.status === 200) break;
    }
    times.push(performance.now() - began);
    await server.stop();
  }
  return times.sort((a, b) => a - b)[2];
}

/** The http-ts template's hello, built the way a user builds it. */
function httpTsApp() {
  const parent = mkdtempSync(join(tmpdir(), "wisp-bench-"));
  execFileSync(process.execPath, [wispCli, "new", "http-ts", "hello"], { cwd: parent });
  execFileSync(process.execPath, [wispCli, "build"], { cwd: join(parent, "hello"), stdio: "ignore" });
  return join(parent, "hello");
}

/** An app of 100 WAGI components, each on its own route. */
function hundredComponents() {
  const dir = mkdtempSync(join(tmpdir(), "wisp-bench-100-"));
  copyFileSync(fixture("wagi-hello"), join(dir, "hello.wasm"));
  let manifest = 'spin_manifest_version = 2\n[application]\nname = "hundred"\n';
  for (let i = 0; i < 100; i++) {
    manifest += `[[trigger.http]]\nroute = "/c${i}"\ncomponent = "c${i}"\nexecutor = { type = "wagi" }\n[component.c${i}]\nsource = "hello.wasm"\n`;
  }
  writeFileSync(join(dir, "spin.toml"), manifest);
  return dir;
}

const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  settings: { duration, connections },
  servers: [],
  scaling: [],
  echo: [],
  coldStartMs: {},
  hundredComponents: {},
};

log(`wrk -c${connections} -d${duration}s on ${results.machine.cpus} cores (${results.machine.model}), Node ${process.version}`);
const tsApp = httpTsApp();
results.servers.push(await measure("plain Node http hello (the ceiling)", plainNode));
results.servers.push(await measure("Wisp: C WAGI hello", () => wispFrom(fixture("wagi-hello"))));
results.servers.push(await measure("Wisp: small wasi:http hello (WAT component)", () => wispFrom(fixture("http-hello"))));
results.servers.push(await measure("Wisp: http-ts template hello", () => wispApp(tsApp)));
const ceiling = results.servers[0];
for (const row of results.servers) {
  row.ratio = row.rps / ceiling.rps;
  row.addedUsPerRequest = (row.p50 - ceiling.p50) * 1000;
}

for (const conns of [1, 10, 50, 200]) {
  results.scaling.push(await measure(`Wisp: C WAGI hello at ${conns} connections`, () => wispFrom(fixture("wagi-hello")), { conns }));
}

for (const [name, startServer] of [["plain Node piping 1 MiB", plainNodeEcho], ["Wisp: C WAGI echo of 1 MiB", () => wispFrom(fixture("wagi-echo"))]]) {
  const row = await measure(name, startServer, { script: "post-1mb.lua", conns: 10 });
  results.echo.push({ ...row, mbPerSec: row.rps });
}

results.coldStartMs.wagiHello = await coldStart(() => wispFrom(fixture("wagi-hello")));
results.coldStartMs.httpTsHello = await coldStart(() => wispApp(tsApp));
log(`cold start to the first 200 (median of 5): WAGI hello ${results.coldStartMs.wagiHello.toFixed(0)} ms, http-ts hello ${results.coldStartMs.httpTsHello.toFixed(0)} ms`);

const hundred = await wispApp(hundredComponents());
for (let i = 0; i < 100; i++) await fetch(`${hundred.url}/c${i}`).then((r) => r.arrayBuffer());
results.hundredComponents = { startMs: hundred.startMs, rssMb: peakRssMb(hundred.pid) };
await hundred.stop();
log(`100 components: serving after ${hundred.startMs.toFixed(0)} ms, peak RSS ${results.hundredComponents.rssMb} MB after a request to each`);

mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/latest.json"), JSON.stringify(results, null, 2) + "\n");
writeFileSync(join(root, "bench/results/throughput.svg"), barChart(results));
writeFileSync(join(root, "BENCHMARKS.md"), markdown(results));
log("wrote bench/results/latest.json, bench/results/throughput.svg and BENCHMARKS.md");
