// Issue 5's targets, each beside the figure of the run that tests it and whether it is met.

const fixed = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : n === Infinity ? "∞" : "-");

/** Max RSS growth from the end of a soak's first half to its end that still counts as "no growth" (GC saw-tooth). */
export const SOAK_GROWTH_TOLERANCE_PCT = 5;

/** Wisp's req/s over a peer's, as a target row; a peer with no throughput is noted, not divided into a misleading figure. */
function throughputRatio(what, wisp, peer, atLeast) {
  const ratio = wisp.rps / peer.rps;
  const figure = peer.rps > 0
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
  const ceiling = server.plainNode.rps;
  const ofNode = (row, atLeast, extra = "") => ({
    what: `${row.name}: req/s as a share of plain Node's${extra ? `, and ${extra}` : ""}`,
    figure: `${fixed(row.rps / ceiling, 3)} (${fixed(row.rps)} vs ${fixed(ceiling)} req/s)${extra ? `, p99 ${fixed(row.p99, 1)} ms` : ""}`,
    target: `≥ ${atLeast}${extra ? `, ${extra}` : ""}`,
    met: row.rps / ceiling >= atLeast && (!extra || row.p99 <= 5),
  });
  const [nodeEcho, wispEcho] = r.echo;
  const rows = [
    ofNode(server.wispWagi, 0.6, "p99 ≤ 5 ms"),
    ofNode(server.wispWat, 0.5),
    { what: "http-ts hello: req/s", figure: fixed(server.wispHttpTs.rps), target: "≥ 1000", met: server.wispHttpTs.rps >= 1000 },
    ...[["wagiHello", "C WAGI hello", 150], ["httpTsHello", "http-ts hello", 400]].map(([key, name, limit]) => ({
      what: `cold start, spawn to first 200, ${name} (median of 5)`, figure: `${fixed(r.coldStartMs[key])} ms (plain Node's hello: ${fixed(r.coldStartMs.plainNode)} ms)`, target: `≤ ${limit} ms`, met: r.coldStartMs[key] <= limit,
    })),
    ...[server.wispWagi, server.wispWat, server.wispHttpTs].map((row) => ({
      what: `peak RSS under load, ${row.name}`, figure: `${fixed(row.rssMb)} MB`, target: "≤ 200 MB", met: row.rssMb <= 200,
    })),
    { what: "1 MiB echo: Wisp's MB/s as a share of plain Node's", figure: `${fixed(wispEcho.mbPerSec / nodeEcho.mbPerSec, 2)} (${fixed(wispEcho.mbPerSec)} vs ${fixed(nodeEcho.mbPerSec)} MB/s)`, target: "≥ 0.5", met: wispEcho.mbPerSec / nodeEcho.mbPerSec >= 0.5 },
    throughputRatio("http-ts hello: Wisp (fresh instance per request) vs jco serve, one shared instance", server.wispHttpTs, server.jcoShared, 1),
    throughputRatio("http-ts hello: Wisp vs jco serve --isolate-requests instance (both a fresh instance per request)", server.wispHttpTs, server.jcoPerRequest, 25),
    {
      what: `limits on (defaults) vs off (values never reached), WAT wasi:http hello`,
      figure: `costs ${fixed(r.limits.costPct, 1)}% of req/s (median of ${r.limits.rounds} paired rounds; means ${fixed(r.limits.on.rps)} on vs ${fixed(r.limits.off.rps)} off)`,
      target: "cost ≤ 10%",
      met: r.limits.costPct <= 10,
    },
    ...r.soak.map(soakRow),
  ];
  for (const [key, name] of [["wagiHello", "C WAGI hello"], ["httpTsHello", "http-ts hello"]]) {
    rows.push({ what: `first request to a fresh server, ${name} (median of 5)`, figure: `${fixed(r.firstRequestMs[key], 1)} ms`, target: "none set", met: null });
  }
  rows.push({
    what: "reference: Wisp C WAGI hello vs workerd's wasm hello (both a fresh sandbox per request: Wisp's is an instance reset to fresh)",
    figure: `${fixed(server.wispWagi.rps / server.workerdWasm.rps, 2)}×`,
    target: "none set",
    met: null,
  });
  return rows;
}
