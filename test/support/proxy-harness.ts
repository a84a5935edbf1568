import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { fixtureWasm } from "./dist.js";
import { WispProcess } from "./wisp-process.js";

/**
 * An app of p3-proxy.component.wat (a wasi:http 0.3 guest that sends GET to the authority its
 * path names through `wasi:http/client` and answers with what came back; a deadline of `timeout`,
 * 3 s unless given) and an upstream it may reach, for a describe block: `answer(name, handler)` says how the upstream
 * answers the next request, `closed` names those whose connection it saw close.
 */
export function proxyHarness({ timeout = "3s" }: { timeout?: string } = {}) {
  const handlers = new Map<string, (res: ServerResponse) => void>();
  const closed = new Set<string>();
  let current = "";
  const harness = {
    origin: undefined as unknown as Server & { port: number },
    wisp: undefined as unknown as WispProcess & { url: string },
    closed,
    /** The upstream answers the next requests with `handler`, named `name`. */
    answer(name: string, handler: (res: ServerResponse) => void) {
      current = name;
      handlers.set(name, handler);
    },
    /** The proxy's URL for the upstream. */
    get url() {
      return `${harness.wisp.url}/p/127.0.0.1:${harness.origin.port}`;
    },
  };
  beforeAll(async () => {
    harness.origin = await new Promise((resolve) => {
      const server = createServer((_req, res) => {
        const name = current;
        res.on("close", () => closed.add(name));
        (handlers.get(name) ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
      });
      server.listen(0, "127.0.0.1", () =>
        resolve(Object.assign(server, { port: (server.address() as { port: number }).port })),
      );
    });
    const dir = mkdtempSync(join(tmpdir(), "wisp-p3-proxy-"));
    copyFileSync(fixtureWasm("p3-proxy"), join(dir, "proxy.wasm"));
    writeFileSync(
      join(dir, "spin.toml"),
      [
        "spin_manifest_version = 2",
        "[application]",
        'name = "p3-proxy"',
        "[[trigger.http]]",
        'route = "/..."',
        'component = "proxy"',
        "[component.proxy]",
        'source = "proxy.wasm"',
        `allowed_outbound_hosts = ["http://127.0.0.1:${harness.origin.port}"]`,
        "[component.proxy.tool.wisp]",
        `timeout = "${timeout}"`,
        "",
      ].join("\n"),
    );
    harness.wisp = await WispProcess.up(["-f", dir]);
  });
  afterAll(async () => {
    await harness.wisp?.stop();
    harness.origin?.close();
  });
  return harness;
}
