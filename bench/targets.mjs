// Issue 5's targets, each beside the figure of the run that tests it and whether it is met.

const fixed = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : n === Infinity ? "∞" : "-");

/** Max RSS growth from the end of a soak's first half to its end that still counts as "no growth" (GC saw-tooth). */
export const SOAK_GROWTH_TOLERANCE_PCT = 5;

/** Wisp's req/s over a peer's, as a target row; a peer with no throughput is noted, not divided into a misleading figure. */
function throughputRatio(what, wisp, peer, atLeast) {
  const ratio = wisp.rps / peer.rps;
  const figure =
    peer.rps > 0
      ? `${fixed(ratio, 2)}× (${fixed(wisp.rps)} vs ${fixed(peer.rps, 1)} req/s)`
      : `${fixed(wisp.rps)} vs 0 req/s (${peer.note ? "the peer answers only its first request: see the note under the first table" : "the peer completed no request"})`;
  // Against a peer that cannot serve the component there is nothing to meet or miss.
  return { what, figure, target: `≥ ${atLeast}×`, met: peer.rps > 0 ? ratio >= atLeast : null, ratio };
}

function soakRow(s) {
  return {
    what: `soak, ${s.name}: RSS at ${s.seconds / 2} s → at ${s.seconds} s under wrk -c${s.connections}`,
    figure: `${fixed(s.halfMb)} → ${fixed(s.endMb)} MB (${s.growthPct >= 0 ? "+" : ""}${fixed(s.growthPct, 1)}%)`,
    target: `no growth (≤ ${SOAK_GROWTH_TOLERANCE_PCT}%)`,
    met: s.growthPct <= SOAK_GROWTH_TOLERANCE_PCT,
  };
}

/** The rows of the targets table, from a run's results (servers found by their `key`). */
export function targets(r) {
  const server = Object.fromEntries(r.servers.map((s) => [s.key, s]));
  // The ratios come from the rounds taken in turns with plain Node (see paired.mjs).
  const ofNode = (key, atLeast, p99Limit) => {
    const p = r.paired[key];
    const p99 = p99Limit ? `p99 ≤ ${p99Limit} ms` : "";
    return {
      what: `${server[key].name}: req/s as a share of plain Node's, median of ${p.rounds} rounds in turns${p99 ? `; and ${p99}` : ""}`,
      figure: `${fixed(p.ratio, 3)} (${fixed(p.other.rps)} vs ${fixed(p.base.rps)} req/s)${p99 ? `, p99 ${fixed(p.other.p99, 1)} ms (plain Node's in the same rounds: ${fixed(p.base.p99, 1)} ms)` : ""}`,
      target: `≥ ${atLeast}${p99 ? `, ${p99}` : ""}`,
      met: p.ratio >= atLeast && (!p99Limit || p.other.p99 <= p99Limit),
    };
  };
  const echo = r.paired.echo;
  const rows = [
    ofNode("wispWagi", 0.6, 5),
    ofNode("wispWat", 0.5),
    {
      what: "http-ts hello: req/s",
      figure: fixed(server.wispHttpTs.rps),
      target: "≥ 1000",
      met: server.wispHttpTs.rps >= 1000,
    },
    ...[
      ["wagiHello", "C WAGI hello", 150],
      ["httpTsHello", "http-ts hello", 400],
    ].map(([key, name, limit]) => ({
      what: `cold start, spawn to first 200, ${name} (median of 5)`,
      figure: `${fixed(r.coldStartMs[key])} ms (plain Node's hello: ${fixed(r.coldStartMs.plainNode)} ms)`,
      target: `≤ ${limit} ms`,
      met: r.coldStartMs[key] <= limit,
    })),
    ...[server.wispWagi, server.wispWat, server.wispHttpTs].map((row) => ({
      what: `peak RSS under load, ${row.name}`,
      figure: `${fixed(row.rssMb)} MB`,
      target: "≤ 200 MB",
      met: row.rssMb <= 200,
    })),
    {
      what: `1 MiB echo: Wisp's MB/s as a share of plain Node's, median of ${echo.rounds} rounds in turns`,
      figure: `${fixed(echo.ratio, 2)} (${fixed(echo.other.rps)} vs ${fixed(echo.base.rps)} MB/s)`,
      target: "≥ 0.5",
      met: echo.ratio >= 0.5,
    },
    throughputRatio(
      "http-ts hello: Wisp (fresh instance per request) vs jco serve, one shared instance",
      server.wispHttpTs,
      server.jcoShared,
      1,
    ),
    throughputRatio(
      "http-ts hello: Wisp vs jco serve --isolate-requests instance (both a fresh instance per request)",
      server.wispHttpTs,
      server.jcoPerRequest,
      25,
    ),
    {
      what: `limits on (defaults) vs off (values never reached), WAT wasi:http hello`,
      figure: `costs ${fixed(r.limits.costPct, 1)}% of req/s (median of ${r.limits.rounds} paired rounds; means ${fixed(r.limits.on.rps)} on vs ${fixed(r.limits.off.rps)} off)`,
      target: "cost ≤ 10%",
      met: r.limits.costPct <= 10,
    },
    ...r.soak.map(soakRow),
  ];
  for (const [key, name] of [
    ["wagiHello", "C WAGI hello"],
    ["httpTsHello", "http-ts hello"],
  ]) {
    rows.push({
      what: `first request to a fresh server, ${name} (median of 5)`,
      figure: `${fixed(r.firstRequestMs[key], 1)} ms`,
      target: "none set",
      met: null,
    });
  }
  rows.push({
    what: "reference: Wisp C WAGI hello vs workerd's wasm hello (both a fresh sandbox per request: Wisp's is an instance reset to fresh)",
    figure: `${fixed(server.wispWagi.rps / server.workerdWasm.rps, 2)}×`,
    target: "none set",
    met: null,
  });
  return rows;
}
