#!/usr/bin/env node
// `npm run soak:hostile`: the security issue's soak. One Wisp server serves
// test/fixtures/apps/hostile for N minutes (default 10) while wrk keeps its good route (/hello, a C
// WAGI hello) under load and this script sends the hostile guests a bounded mix of their attacks:
// bad header bytes, smuggling framing over kept-alive sockets, bad statuses, a stderr flood, a
// flood of lines, a 256 MiB memory.fill loop held to its 1 s timeout (504), a JS component's bad
// headers and broken stream. It checks the server never exits and /.well-known/spin/health
// answers throughout, and reports per minute the good route's throughput and p99 and the server's
// RSS (VmRSS), threads and open files; then whether minute 1 and the last minute are flat.
// Writes bench/results/hostile-soak.json and the "Hostile soak" section of BENCHMARKS.md. Exits 1
// if the server crashed (exited, or a health check went unanswered) or the good route errored.
//   npm run soak:hostile [-- --minutes 2 --connections 10 --rate 4 --flood-mib 64 --no-inline]
// `--rate 0` is a control run: the same wrk load with no hostile requests, written to
// bench/results/hostile-soak-control.json (BENCHMARKS.md is left as it is).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { benchFlags, requireWrk } from "./cli-args.mjs";
import { hostileSoakMarkdown, replaceHostileSoakSection } from "./report.mjs";
import { root, rssMb, wispApp } from "./servers.mjs";
import { median } from "./stats.mjs";
import { wrkAsync } from "./wrk.mjs";

const values = benchFlags(
  "usage: npm run soak:hostile [-- --minutes N --connections N --rate PER_SECOND --flood-mib MIB --no-inline]",
  "(defaults: 10 minutes, wrk -c10 on /hello, 4 hostile requests a second, at most 4 in flight, flood=64; --rate 0 is a control run without them)",
  {
    minutes: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    rate: { type: "string", default: "4" },
    "flood-mib": { type: "string", default: "64" },
    "no-inline": { type: "boolean", default: false },
  },
  (v) => {
    const [m, c, r, f] = [Number(v.minutes), Number(v.connections), Number(v.rate), Number(v["flood-mib"])];
    return !(Number.isInteger(m) && m >= 2)
      ? "--minutes is a whole number, at least 2 (minute 1 is compared with the last)"
      : !(Number.isInteger(c) && c >= 1)
        ? "--connections is a whole number, at least 1"
        : !(r >= 0 && r <= 50)
          ? "--rate is hostile requests per second, 0 (a control run: no hostile requests) to 50"
          : !(Number.isInteger(f) && f >= 1 && f <= 640)
            ? "--flood-mib is a whole number of MiB, 1 to 640"
            : undefined;
  },
);
const minutes = Number(values.minutes);
const connections = Number(values.connections);
const rate = Number(values.rate);
const floodMib = Number(values["flood-mib"]);
requireWrk();

/** Flat: the last minute's good p99 and RSS within this factor of minute 1's. */
const FLAT_FACTOR = 1.5;
/** Hostile requests in flight at once, at most (/bulk: at most one of them). */
const MAX_IN_FLIGHT = 4;
const HOSTILE_TIMEOUT_MS = 30_000;
const HEALTH_EVERY_MS = 1000;
const HEALTH_TIMEOUT_MS = 5000;
const LINES = 50_000; // about 1.4 MB of lines: past the 1 MiB a request may log
const SMUGGLED = "HTTP/1.1 200 OK\r\nx-smuggled: 1\r\n\r\n";

/**
 * Every attack the hostile app has, as designed (test/adversarial/hostile-responses.test.ts): the
 * status the server answers with and, where it is the point, the body. /hello on the hostile
 * requests' kept-alive sockets checks nothing was smuggled onto them.
 */
const refused = (name, path) => ({ name, path, status: 502, body: "" });
const CASES = [
  ...["ctl", "del", "cr", "nul", "space-name", "status-100", "status-101", "status-999"].map((q) =>
    refused(q, `/wagi?${q}`),
  ),
  { name: "cl-short", path: "/wagi?cl-short", status: 200, body: SMUGGLED },
  { name: "cl-two", path: "/wagi?cl-two", status: 200, body: "hello\n" },
  { name: "cl-abc", path: "/wagi?cl-abc", status: 200, body: "hello\n" },
  { name: "cl-big", path: "/wagi?cl-big", status: 200, body: "short\n" },
  { name: "te-gzip", path: "/wagi?te-gzip", status: 200, body: "hello\n" },
  { name: "framing", path: "/wagi?framing", status: 200, body: "framed by the server\n" },
  { name: `flood=${floodMib}`, path: `/wagi?flood=${floodMib}`, status: 200, body: "flooded\n" },
  { name: `lines=${LINES}`, path: `/wagi?lines=${LINES}`, status: 200, body: "chatted\n" },
  { name: "bulk", path: "/bulk", status: 504, body: "" },
  refused("js/del", "/js/del"),
  refused("js/ctl", "/js/ctl"),
  { name: "js/content-length", path: "/js/content-length", status: 200, body: SMUGGLED },
  // The guest errors its body stream halfway; componentize-js then finishes the body, so the
  // server sees a complete 2700-byte body (what a client sees is recorded, whatever it is).
  { name: "js/stream-error", path: "/js/stream-error", status: 200 },
  { name: "js/ok", path: "/js/ok", status: 200, body: "hostile component\n" },
  { name: "hello on a hostile socket", path: "/hello", status: 200, body: "hello from C\n", good: true },
];

const appDir = join(root, "test/fixtures/apps/hostile");
const logDir = join(appDir, ".wisp/logs");
const log = (line) => process.stdout.write(line + "\n");

/** One GET: its status, body (latin1), headers and milliseconds, or the error that ended it. */
function get(url, { agent, timeout }) {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (outcome) => resolve({ ms: performance.now() - started, ...outcome });
    const req = request(url, { agent, timeout }, (res) => {
      let body = "";
      res.setEncoding("latin1").on("data", (d) => (body += d));
      res.on("end", () => done({ status: res.statusCode, headers: res.headers, body }));
      res.on("error", (error) => done({ status: res.statusCode, error: error.code ?? error.message }));
      res.on("aborted", () => done({ status: res.statusCode, error: "aborted" }));
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: `timeout ${timeout} ms` })));
    req.on("error", (error) => done({ error: error.code ?? error.message }));
    req.end();
  });
}

/** What went wrong with a hostile request's answer, if anything. */
function unexpected(c, answer) {
  if (answer.error) return `error ${answer.error}${answer.status ? ` after status ${answer.status}` : ""}`;
  if (answer.status !== c.status) return `status ${answer.status}, not ${c.status}`;
  if (c.body !== undefined && answer.body !== c.body) return `body ${JSON.stringify(answer.body.slice(0, 80))}`;
  if (answer.headers["x-smuggled"] !== undefined) return "an x-smuggled header";
  if (answer.headers["transfer-encoding"] !== undefined && answer.headers["transfer-encoding"] !== "chunked")
    return `transfer-encoding ${answer.headers["transfer-encoding"]}`;
  return undefined;
}

/** A number from /proc/PID/status (Threads), or how many files the process has open. */
function procStatus(pid, field) {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${field}:`));
  return Number(line.replace(/\D/g, ""));
}
const openFiles = (pid) => readdirSync(`/proc/${pid}/fd`).length;
const percentile = (values, p) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
function dirBytes(dir) {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

// The guests, built (or found up to date) first: a clean clone has none.
execFileSync(
  process.execPath,
  [join(root, "scripts/build-fixtures.mjs"), "hostile-wagi", "hostile-bulk", "hostile-http", "wagi-hello"],
  { stdio: "inherit" },
);
rmSync(logDir, { recursive: true, force: true }); // so the logs' size at the end is this run's

const flags = values["no-inline"] ? ["--no-inline"] : [];
const results = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    node: process.version,
    memoryMb: Math.round(totalmem() / 2 ** 20),
    loadavgAtStart: loadavg(),
  },
  settings: {
    minutes,
    connections,
    goodRoute: "/hello",
    hostileRatePerSecond: rate,
    maxHostileInFlight: MAX_IN_FLIGHT,
    floodMib,
    lines: LINES,
    flags,
    flatFactor: FLAT_FACTOR,
    healthEveryMs: HEALTH_EVERY_MS,
    healthTimeoutMs: HEALTH_TIMEOUT_MS,
  },
  startMs: NaN,
  minutes: [],
  hostile: {},
  health: {},
  crash: null,
  good: {},
  flat: {},
  logsBytes: NaN,
  stop: {},
  verdict: {},
};
log(
  `hostile soak: ${minutes} min of wrk -c${connections} on /hello plus ${rate} hostile requests/s (at most ${MAX_IN_FLIGHT} in flight) on ${results.machine.cpus} cores (${results.machine.model}), Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);

const server = await wispApp(appDir, flags);
results.startMs = server.startMs;
log(`serving ${server.url} (pid ${server.pid}) after ${server.startMs.toFixed(0)} ms`);
const began = performance.now();
const second = () => Math.floor((performance.now() - began) / 1000);
let minute = 0; // the minute (1-based) wrk is in; 0 before it starts
let running = true;
let stopping = false; // set before the SIGINT that ends the run: an exit after it is no crash
void server.ended.then(({ code, signal }) => {
  if (!stopping) results.crash = { atSecond: second(), minute, code, signal, stderrTail: server.stderr().slice(-2000) };
});

// Each minute's samples.
const perMinute = Array.from({ length: minutes + 1 }, () => ({
  health: [],
  healthFailures: [],
  hostileSent: 0,
  hostileUnexpected: 0,
}));
const rssBySecond = [];

const sampler = setInterval(() => {
  try {
    rssBySecond.push(rssMb(server.pid));
  } catch {
    rssBySecond.push(NaN); // the process is gone: `ended` says how
  }
}, 1000);

// Health: a fresh connection each second.
const healthAgent = new Agent({ keepAlive: false });
const healthLoop = (async () => {
  while (running) {
    const bucket = perMinute[minute];
    const answer = await get(server.url + "/.well-known/spin/health", {
      agent: healthAgent,
      timeout: HEALTH_TIMEOUT_MS,
    });
    if (answer.status === 200 && !answer.error) bucket.health.push(answer.ms);
    else bucket.healthFailures.push({ atSecond: second(), status: answer.status, error: answer.error });
    await new Promise((r) => setTimeout(r, Math.max(0, HEALTH_EVERY_MS - answer.ms)));
  }
})();

// The hostile mix: one case per tick, in turn, while fewer than MAX_IN_FLIGHT are out (and /bulk alone).
for (const c of CASES)
  results.hostile[c.name] = {
    path: c.path,
    expected: c.status,
    sent: 0,
    outcomes: {},
    unexpected: 0,
    examples: [],
    maxMs: 0,
  };
const hostileAgent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
let inFlight = 0;
let bulkInFlight = false;
let next = 0;
let skippedTicks = 0;
const hostilePending = new Set();
const ticker =
  rate > 0 &&
  setInterval(() => {
    const c = CASES[next];
    if (inFlight >= MAX_IN_FLIGHT || (c.name === "bulk" && bulkInFlight)) {
      skippedTicks++;
      return;
    }
    next = (next + 1) % CASES.length;
    inFlight++;
    if (c.name === "bulk") bulkInFlight = true;
    const bucket = perMinute[minute];
    bucket.hostileSent++;
    const row = results.hostile[c.name];
    row.sent++;
    const sending = get(server.url + c.path, { agent: hostileAgent, timeout: HOSTILE_TIMEOUT_MS }).then((answer) => {
      inFlight--;
      if (c.name === "bulk") bulkInFlight = false;
      const outcome = answer.error ? `error ${answer.error}` : String(answer.status);
      row.outcomes[outcome] = (row.outcomes[outcome] ?? 0) + 1;
      row.maxMs = Math.max(row.maxMs, answer.ms);
      if (c.name === "js/stream-error" && !answer.error) row.bodyBytes = answer.body.length;
      const wrong = unexpected(c, answer);
      if (wrong) {
        row.unexpected++;
        bucket.hostileUnexpected++;
        if (row.examples.length < 5) row.examples.push({ atSecond: second(), what: wrong });
      }
    });
    hostilePending.add(sending);
    void sending.finally(() => hostilePending.delete(sending));
  }, 1000 / rate);

// The good route: one wrk run per minute, back to back.
for (minute = 1; minute <= minutes && !results.crash; minute++) {
  const good = await wrkAsync(server.url + "/hello", { connections, duration: 60 });
  const bucket = perMinute[minute];
  let threads = NaN;
  let fds = NaN;
  try {
    threads = procStatus(server.pid, "Threads");
    fds = openFiles(server.pid);
  } catch {}
  const minuteRss = rssBySecond.slice(Math.max(0, rssBySecond.length - 60)).filter(Number.isFinite); // this minute's samples
  const row = {
    minute,
    rps: good.rps,
    p50: good.p50,
    p99: good.p99,
    max: good.max,
    errors: good.errors,
    rssMbMedian: median(minuteRss),
    rssMbMin: Math.min(...minuteRss),
    rssMbMax: Math.max(...minuteRss),
    healthChecks: bucket.health.length + bucket.healthFailures.length,
    healthFailures: bucket.healthFailures.length,
    healthMaxMs: Math.max(0, ...bucket.health),
    healthP99Ms: percentile(bucket.health, 99),
    hostileSent: bucket.hostileSent,
    hostileUnexpected: bucket.hostileUnexpected,
    threads,
    openFiles: fds,
    loadavg1: loadavg()[0],
  };
  results.minutes.push(row);
  log(
    `minute ${String(minute).padStart(2)}: /hello ${row.rps.toFixed(0)} req/s p50 ${row.p50.toFixed(2)} ms p99 ${row.p99.toFixed(2)} ms errors ${row.errors}; RSS median ${row.rssMbMedian.toFixed(0)} MB (min ${row.rssMbMin}, max ${row.rssMbMax}); health ${row.healthChecks} checks, ${row.healthFailures} failed, max ${row.healthMaxMs.toFixed(1)} ms; hostile sent ${row.hostileSent}, unexpected ${row.hostileUnexpected}; threads ${threads}, open files ${fds}; load ${row.loadavg1.toFixed(2)}`,
  );
}
if (ticker) clearInterval(ticker);
running = false;
await Promise.all([...hostilePending]);
await healthLoop;
clearInterval(sampler);
const earlyHealth = perMinute[0]; // checks before wrk's first minute began (none, or one)
const allHealth = perMinute.flatMap((m) => m.health);
const healthFailures = perMinute.flatMap((m) => m.healthFailures);
results.health = {
  checks: allHealth.length + healthFailures.length,
  failures: healthFailures.length,
  failureExamples: healthFailures.slice(0, 10),
  maxMs: Math.max(0, ...allHealth),
  p99Ms: percentile(allHealth, 99),
  p50Ms: percentile(allHealth, 50),
  beforeMinute1: earlyHealth.health.length,
};
results.hostileSkippedTicks = skippedTicks;
results.rssMbBySecond = rssBySecond;
results.logsBytes = dirBytes(logDir);

// Ctrl-C after it all: the server must stop cleanly.
if (!results.crash) {
  stopping = true;
  const stopBegan = performance.now();
  const code = await Promise.race([
    server.stop(),
    new Promise((r) => setTimeout(() => r("still running after 20 s"), 20_000)),
  ]);
  results.stop = { code, ms: performance.now() - stopBegan };
  if (code === "still running after 20 s") process.kill(server.pid, "SIGKILL");
}

const first = results.minutes[0];
const last = results.minutes.at(-1);
const hostileGoodErrors = results.hostile["hello on a hostile socket"].unexpected;
results.good = {
  requestsApprox: Math.round(results.minutes.reduce((sum, m) => sum + m.rps * 60, 0)),
  wrkErrors: results.minutes.reduce((sum, m) => sum + m.errors, 0),
  onHostileSockets: hostileGoodErrors,
};
results.flat = {
  criterion: `the last minute's good p99 and median RSS (of its one-second samples) at most ${FLAT_FACTOR}x minute 1's`,
  p99Minute1: first?.p99,
  p99Last: last?.p99,
  p99Ratio: last?.p99 / first?.p99,
  rssMinute1: first?.rssMbMedian,
  rssLast: last?.rssMbMedian,
  rssRatio: last?.rssMbMedian / first?.rssMbMedian,
  rssMinMinute1: first?.rssMbMin,
  rssMinLast: last?.rssMbMin,
};
results.flat.p99Flat = results.flat.p99Ratio <= FLAT_FACTOR;
results.flat.rssFlat = results.flat.rssRatio <= FLAT_FACTOR;
const hostileUnexpected = Object.values(results.hostile).reduce((sum, h) => sum + h.unexpected, 0);
results.verdict = {
  crashes: results.crash || results.health.failures > 0 ? 1 : 0,
  serverExited: Boolean(results.crash),
  healthFailures: results.health.failures,
  goodErrors: results.good.wrkErrors + hostileGoodErrors,
  hostileUnexpected,
  flat: results.flat.p99Flat && results.flat.rssFlat,
  stoppedCleanly: results.stop.code === 0,
};
results.runSeconds = (performance.now() - began) / 1000;
results.machine.loadavgAtEnd = loadavg();

// The report.
log("");
log(
  `hostile soak, ${minutes} min: ${results.verdict.serverExited ? `the server EXITED at ${results.crash.atSecond} s (code ${results.crash.code}, signal ${results.crash.signal})` : "the server never exited"}; health ${results.health.checks} checks, ${results.health.failures} failed, max ${results.health.maxMs.toFixed(1)} ms, p99 ${results.health.p99Ms.toFixed(1)} ms`,
);
log(
  `good route: ~${results.good.requestsApprox} requests, wrk errors ${results.good.wrkErrors}, /hello on hostile sockets wrong ${hostileGoodErrors}`,
);
log(
  `flat (${results.flat.criterion}): p99 ${first.p99.toFixed(2)} -> ${last.p99.toFixed(2)} ms (x${results.flat.p99Ratio.toFixed(2)}, ${results.flat.p99Flat ? "flat" : "NOT flat"}), median RSS ${first.rssMbMedian.toFixed(0)} -> ${last.rssMbMedian.toFixed(0)} MB (x${results.flat.rssRatio.toFixed(2)}, ${results.flat.rssFlat ? "flat" : "NOT flat"}; its floor ${first.rssMbMin} -> ${last.rssMbMin} MB)`,
);
for (const [name, h] of Object.entries(results.hostile)) {
  const outcomes = Object.entries(h.outcomes)
    .map(([k, n]) => `${k} x${n}`)
    .join(", ");
  log(
    `  ${name.padEnd(26)} sent ${String(h.sent).padStart(4)}  ${outcomes}  (expected ${h.expected}; unexpected ${h.unexpected}; max ${h.maxMs.toFixed(0)} ms)${h.examples.length ? ` e.g. ${h.examples.map((e) => `${e.what} at ${e.atSecond} s`).join("; ")}` : ""}`,
  );
}
log(
  `hostile ticks skipped (${MAX_IN_FLIGHT} in flight, or /bulk busy): ${skippedTicks}; logs now ${(results.logsBytes / 2 ** 20).toFixed(1)} MiB in ${logDir}`,
);
log(
  `stopped on SIGINT: ${results.crash ? "-" : `exit code ${results.stop.code} after ${results.stop.ms.toFixed(0)} ms`}`,
);

mkdirSync(join(root, "bench/results"), { recursive: true });
if (rate > 0) {
  writeFileSync(join(root, "bench/results/hostile-soak.json"), JSON.stringify(results, null, 2) + "\n");
  const benchmarks = join(root, "BENCHMARKS.md");
  writeFileSync(
    benchmarks,
    replaceHostileSoakSection(
      existsSync(benchmarks) ? readFileSync(benchmarks, "utf8") : "# Benchmarks\n",
      hostileSoakMarkdown(results),
    ),
  );
  log(
    `wrote bench/results/hostile-soak.json and the Hostile soak section of BENCHMARKS.md after ${results.runSeconds.toFixed(0)} s`,
  );
} else {
  // A control run (no hostile requests) is the same load without the attacks; BENCHMARKS.md keeps the soak's figures.
  writeFileSync(join(root, "bench/results/hostile-soak-control.json"), JSON.stringify(results, null, 2) + "\n");
  log(`control run (--rate 0): wrote bench/results/hostile-soak-control.json after ${results.runSeconds.toFixed(0)} s`);
}
const failed = results.verdict.crashes > 0 || results.verdict.goodErrors > 0;
if (failed)
  log(
    `FAILED: ${results.verdict.crashes ? "the server crashed or stopped answering health checks" : ""}${results.verdict.crashes && results.verdict.goodErrors ? "; " : ""}${results.verdict.goodErrors ? `${results.verdict.goodErrors} good requests failed` : ""}`,
  );
process.exit(failed ? 1 : 0);
