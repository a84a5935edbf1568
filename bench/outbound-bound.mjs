// The outbound-bound case: a guest whose every request waits 200 ms on an upstream. The same
// upstream and load for a wasi:http 0.2 guest on the blocking design (WISP_BLOCKING_WAITS=1: its
// host call blocks its worker thread until main answers), the same guest as Wisp serves it (its
// glue suspends on JSPI: the wait holds no thread, the worker runs other requests meanwhile), and
// a 0.3 one. The 0.3 guest is wasi-testsuite's http-client case, from a mirror of the suite where
// one is on the machine; without it, that row is skipped with one line.
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, start, wispApp } from "./servers.mjs";

export const UPSTREAM_DELAY_MS = 200;

function manifest(dir, route, source, allowed, environment = "") {
  writeFileSync(
    join(dir, "spin.toml"),
    [
      "spin_manifest_version = 2",
      "[application]",
      'name = "outbound-bound"',
      "[[trigger.http]]",
      `route = "${route}"`,
      'component = "guest"',
      "[component.guest]",
      `source = ${JSON.stringify(source)}`,
      `allowed_outbound_hosts = ["${allowed}"]`,
      environment,
      "",
    ].join("\n"),
  );
}

/**
 * Measures both guests with `measure` (run.mjs's), each against a fresh upstream. Returns the rows,
 * or a note saying why the 0.3 guest was skipped.
 */
export async function outboundBound(measure, { connections, upstreamSet }) {
  const upstream = await start([join(root, "bench/slow-upstream.mjs"), "--delay", String(UPSTREAM_DELAY_MS)]);
  const address = new URL(upstream.url).host;
  try {
    const rows = [];
    const p2 = mkdtempSync(join(tmpdir(), "wisp-bench-outbound-p2-"));
    copyFileSync(join(root, "test/fixtures/.build/http-outbound.wasm"), join(p2, "outbound.wasm"));
    manifest(p2, "/...", "outbound.wasm", `http://${address}`);
    const p2Load = { path: `/?url=${encodeURIComponent(`http://${address}/`)}`, conns: connections, timeout: 30 };
    rows.push(
      await measure(
        `Wisp: wasi:http 0.2 guest waiting ${UPSTREAM_DELAY_MS} ms upstream (blocking design)`,
        () => wispApp(p2, [], { ...process.env, WISP_BLOCKING_WAITS: "1" }),
        { ...p2Load, key: "outboundP2Blocking" },
      ),
    );
    rows.push(
      await measure(
        `Wisp: wasi:http 0.2 guest waiting ${UPSTREAM_DELAY_MS} ms upstream (suspends on JSPI)`,
        () => wispApp(p2),
        { ...p2Load, key: "outboundP2" },
      ),
    );
    const suite = upstreamSet();
    if (!suite)
      return {
        rows,
        note: "the 0.3 guest needs a mirror of WebAssembly/wasi-testsuite (see test/support/wasi-testsuite-p3.ts)",
      };
    const p3 = mkdtempSync(join(tmpdir(), "wisp-bench-outbound-p3-"));
    manifest(
      p3,
      "/...",
      join(suite, "http-client.wasm"),
      `http://${address}`,
      `environment = { HTTP_SERVER_MAIN = "${address}" }`,
    );
    rows.push(
      await measure(
        `Wisp: wasi:http 0.3 guest waiting ${UPSTREAM_DELAY_MS} ms upstream (holds no thread)`,
        () => wispApp(p3),
        {
          conns: connections,
          key: "outboundP3",
          timeout: 30,
        },
      ),
    );
    return { rows };
  } finally {
    await upstream.stop();
  }
}
