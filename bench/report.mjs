// BENCHMARKS.md and its chart, from a run's results.

const fixed = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

export function markdown(r) {
  const rows = r.servers.map((s) =>
    `| ${s.name} | ${fixed(s.rps)} | ${fixed(s.ratio, 3)} | ${fixed(s.p50, 2)} | ${fixed(s.p99, 2)} | ${fixed(s.max, 1)} | ${s.errors} | ${s.rssMb} | ${fixed(s.addedUsPerRequest)} |`);
  const scaling = r.scaling.map((s) => `| ${s.connections} | ${fixed(s.rps)} | ${fixed(s.p99, 2)} |`);
  const echo = r.echo.map((s) => `| ${s.name} | ${fixed(s.mbPerSec, 1)} | ${fixed(s.p99, 1)} |`);
  return `# Benchmarks

Last run: ${r.date} on ${r.machine.cpus} cores (${r.machine.model}), Node ${r.machine.node}; wrk with
${r.settings.connections} connections for ${r.settings.duration} s per server, on loopback, wrk sharing the
machine with the server. Every Wisp figure gives each request a fresh instance. Ratios are to the
plain Node server measured in the same run. Reproduce with \`npm run bench\` (settings:
\`npm run bench -- --duration 10 --connections 100\`).

![throughput](bench/results/throughput.svg)

| server | req/s | ratio to plain Node | p50 ms | p99 ms | max ms | errors | peak RSS MB | added µs at p50 |
|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

How the C WAGI hello scales with connections:

| connections | req/s | p99 ms |
|---|---|---|
${scaling.join("\n")}

1 MiB request bodies echoed back (10 connections):

| server | MB/s | p99 ms |
|---|---|---|
${echo.join("\n")}

Cold start, from spawning \`wisp up\` to the first 200 (median of 5): C WAGI hello
${fixed(r.coldStartMs.wagiHello)} ms, http-ts hello ${fixed(r.coldStartMs.httpTsHello)} ms.

An app of 100 WAGI components: serving ${fixed(r.hundredComponents.startMs)} ms after spawn, peak RSS
${r.hundredComponents.rssMb} MB after a request to each.

Not measured yet: jco serve and workerd (the issue's peers), the soak test for memory growth, the
cost of limits on versus off.
`;
}

/** A horizontal bar chart of req/s per server, with each bar's ratio to plain Node. */
export function barChart(r) {
  const width = 760;
  const barHeight = 28;
  const left = 330;
  const max = Math.max(...r.servers.map((s) => s.rps));
  const bars = r.servers.map((s, i) => {
    const y = 40 + i * (barHeight + 12);
    const w = Math.max(2, ((width - left - 190) * s.rps) / max);
    const color = i === 0 ? "#9aa0a6" : "#1a73e8";
    return `<text x="${left - 10}" y="${y + 19}" text-anchor="end" font-size="13">${escape(s.name)}</text>
<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${color}"/>
<text x="${left + w + 8}" y="${y + 19}" font-size="13">${fixed(s.rps)} req/s (${fixed(s.ratio * 100, 1)}%)</text>`;
  });
  const height = 60 + r.servers.length * (barHeight + 12);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="22" font-size="15" font-weight="bold">Requests per second, fresh instance per request (${r.settings.connections} connections, ${r.date.slice(0, 10)})</text>
${bars.join("\n")}
</svg>
`;
}

function escape(text) {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;");
}
