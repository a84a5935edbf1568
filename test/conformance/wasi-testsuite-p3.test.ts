import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import { connect, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnTracked } from "../support/child-processes.js";
import { repoRoot } from "../support/dist.js";
import { WispProcess } from "../support/wisp-process.js";
import { sharedComponentCache } from "../support/shared-cache.js";
import { waitFor } from "../support/wait-for.js";
import { asReleaseCandidate, upstreamSet } from "../support/wasi-testsuite-p3.js";

/**
 * The WebAssembly wasi-testsuite's WASI 0.3 cases (Rust, wasm32-wasip3; ../shared/conformance,
 * outside the repo: data we reference, never commit), run as specification.md's operations
 * describe: `wasi:cli` commands through `wisp run` (their stdin written and stdout read while they
 * run), `wasi:http/service` cases through `wisp up --from`, with the requests they list.
 */
const CANDIDATES = [
  process.env.WISP_WASI_TESTSUITE_P3,
  resolve(repoRoot, "../shared/conformance/wasi-testsuite-p3"),
  // CI clones the repository elsewhere; the machine's shared data stays at /work/shared.
  "/work/shared/conformance/wasi-testsuite-p3",
].filter((dir): dir is string => Boolean(dir));
const SUITE = CANDIDATES.find((dir) => existsSync(dir)) ?? CANDIDATES[0]!;
const present = existsSync(SUITE);
if (!present)
  console.warn(
    `skipping wasi-testsuite 0.3: none of ${CANDIDATES.join(", ")} exists (set WISP_WASI_TESTSUITE_P3 to its folder)`,
  );

type Operation =
  | { type: "run"; args?: string[]; env?: Record<string, string> }
  | { type: "wait"; exit_code?: number }
  | { type: "write"; id: "stdin"; payload: string }
  | { type: "read"; id: "stdout" | "stderr"; payload: string }
  | {
      type: "request";
      method: string;
      path: string;
      headers?: Record<string, string>;
      body?: string;
      response: { status: number; headers?: Record<string, string>; body?: string };
    }
  | { type: "kill"; signal: NodeJS.Signals }
  | { type: "connect"; id: string; protocol_type?: "tcp" | "udp" }
  | { type: "send"; id: string; payload: string }
  | { type: "recv"; id: string; payload: string };

/** A server the case's guest sends requests to (`wasi:http/client`), named to it as `HTTP_SERVER_<NAME>`. */
interface ServerSpec {
  name: string;
  kind?: "listening" | "closed";
  endpoints?: Array<{
    method: string;
    path: string;
    mode?: "echo-body" | "echo-headers";
    response?:
      | string
      | {
          status?: number;
          headers?: Record<string, string>;
          body?: string;
          chunks?: string[];
          trailers?: Record<string, string>;
        };
  }>;
}

interface Spec {
  world?: string;
  /** A folder of the suite's the case gets as its one preopened directory, at `/`. */
  root?: string;
  operations?: Operation[];
  servers?: ServerSpec[];
  /** Proposals beyond WASI's core the case needs: "sockets" is granted the network, as the suite's wasmtime adapter grants it (`-S inherit-network`). */
  proposals?: string[];
}

const cli = join(repoRoot, "bundle", "cli", "main.js");
const env = { ...process.env, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), "wisp-p3-cache-")) };

/**
 * A `wisp run` command's operations: each read waits until its payload has appeared on that
 * stream. Run from the suite's folder with the file's own name, as the suite's runner does (a case
 * checks its arguments, the first of which is that name).
 */
async function runCommand(suite: string, wasm: string, operations: Operation[], spec: Spec): Promise<void> {
  const { root } = spec;
  const run = operations.find((op) => op.type === "run") as Extract<Operation, { type: "run" }>;
  const flags = Object.entries(run.env ?? {}).flatMap(([key, value]) => ["--env", `${key}=${value}`]);
  if (spec.proposals?.includes("sockets")) flags.push("-S", "inherit-network");
  if (root) {
    // As the suite's wasmtime adapter grants it (`--dir ROOT::/`), a copy per case: cases write.
    const copy = mkdtempSync(join(tmpdir(), "wisp-p3-root-"));
    cpSync(join(suite, root), copy, { recursive: true });
    flags.push("--dir", `${copy}::/`);
  }
  const child = spawnTracked(process.execPath, [cli, "run", ...flags, wasm, "--", ...(run.args ?? [])], {
    stdio: ["pipe", "pipe", "pipe"],
    cwd: suite,
    env,
  });
  const seen = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (d: string) => (seen.stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (seen.stderr += d));
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  let stdinOpen = true;
  const sockets = new Map<string, { socket: Socket; received: string }>();
  for (const op of operations) {
    if (op.type === "write") child.stdin.write(op.payload);
    else if (op.type === "connect") {
      // As the suite's runner: the guest's first line of stdout is the HOST:PORT it listens on.
      await waitFor(() => seen.stdout.includes("\n"), 20_000);
      const [host, port] = seen.stdout.slice(0, seen.stdout.indexOf("\n")).trim().split(":");
      const socket = connect({ host, port: Number(port) });
      const entry = { socket, received: "" };
      socket.setEncoding("utf8").on("data", (d: string) => (entry.received += d));
      await once(socket, "connect");
      sockets.set(op.id, entry);
    } else if (op.type === "send") sockets.get(op.id)!.socket.write(op.payload);
    else if (op.type === "recv") {
      const entry = sockets.get(op.id)!;
      await waitFor(() => entry.received.length >= op.payload.length, 20_000).catch(() => undefined);
      expect(entry.received, `${op.id} of ${wasm}`).toBe(op.payload);
    } else if (op.type === "read") {
      await waitFor(() => seen[op.id].includes(op.payload), 20_000).catch(() => undefined);
      expect(seen[op.id], `${op.id} of ${wasm}`).toContain(op.payload);
    } else if (op.type === "wait") {
      if (stdinOpen) child.stdin.end();
      stdinOpen = false;
      expect({ code: await exited }, seen.stderr).toEqual({ code: op.exit_code ?? 0 });
    }
  }
  for (const { socket } of sockets.values()) socket.destroy();
}

/** One request to a case's server, answered as the suite's runner answers it (its test_suite_runner.py). */
async function answer(spec: ServerSpec, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const endpoint = spec.endpoints?.find((e) => e.method === req.method && e.path === req.url);
  res.setHeader("connection", "close");
  if (!endpoint) return void res.writeHead(404).end();
  if (endpoint.mode === "echo-body") return void res.writeHead(200).end(body);
  if (endpoint.mode === "echo-headers") {
    res.setHeader("x-request-method", req.method ?? "");
    res.setHeader("x-request-path", req.url ?? "");
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined) res.setHeader(`x-echo-${name}`, value);
    for (const [name, value] of Object.entries(req.trailers))
      if (value !== undefined) res.setHeader(`x-trailer-${name}`, value);
    return void res.writeHead(200).end();
  }
  const response = typeof endpoint.response === "string" ? { body: endpoint.response } : (endpoint.response ?? {});
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  res.writeHead(response.status ?? 200);
  if (!response.chunks) return void res.end(response.body ?? "");
  if (response.trailers) res.addTrailers(response.trailers);
  for (const chunk of response.chunks) res.write(chunk);
  res.end();
}

/** The case's servers, each on a loopback port (a closed one: a port nothing listens on), and the environment naming them. */
async function startServers(specs: ServerSpec[]): Promise<{ env: Record<string, string>; servers: Server[] }> {
  const env: Record<string, string> = {};
  const servers: Server[] = [];
  for (const spec of specs) {
    const server = createServer((req, res) => void answer(spec, req, res));
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    const { port } = server.address() as AddressInfo;
    env[`HTTP_SERVER_${spec.name.toUpperCase()}`] = `127.0.0.1:${port}`;
    if (spec.kind === "closed") await new Promise((closed) => server.close(closed));
    else servers.push(server);
  }
  return { env, servers };
}

/**
 * A `wasi:http/service` case: served by `wisp up --from`, each request sent and its response
 * checked. A case with servers is served from a manifest instead, which grants the guest its
 * servers (`allowed_outbound_hosts`) and names them in its environment, as the suite's runner does.
 */
async function serveHttp(
  spec: Spec,
  wasm: string,
  operations: Operation[],
  cacheFor: (dir: string) => void,
): Promise<void> {
  const cwd = mkdtempSync(join(tmpdir(), "wisp-p3-http-"));
  cacheFor(cwd);
  const { env, servers } = await startServers(spec.servers ?? []);
  if (spec.servers?.length) {
    const hosts = Object.values(env).map((address) => JSON.stringify(`http://${address}`));
    const environment = Object.entries(env).map(([name, value]) => `${name} = ${JSON.stringify(value)}`);
    writeFileSync(
      join(cwd, "spin.toml"),
      [
        "spin_manifest_version = 2",
        "[application]",
        'name = "case"',
        "[[trigger.http]]",
        'route = "/..."',
        'component = "case"',
        "[component.case]",
        `source = ${JSON.stringify(wasm)}`,
        `allowed_outbound_hosts = [${hosts.join(", ")}]`,
        `environment = { ${environment.join(", ")} }`,
        "",
      ].join("\n"),
    );
  }
  const wisp = await WispProcess.up(spec.servers?.length ? ["-f", cwd] : ["--from", wasm], { cwd });
  try {
    for (const op of operations) {
      if (op.type === "request") {
        const response = await fetch(new URL(op.path, wisp.url), {
          method: op.method,
          headers: op.headers,
          body: op.body === undefined || op.method === "GET" ? undefined : op.body,
        });
        const body = await response.text();
        const expected = op.response;
        expect(response.status, `${op.method} ${op.path}: ${wisp.stderr}`).toBe(expected.status);
        for (const [name, value] of Object.entries(expected.headers ?? {}))
          expect(response.headers.get(name), `${op.method} ${op.path}: header ${name}`).toBe(value);
        if (expected.body !== undefined) expect(body, `${op.method} ${op.path}`).toBe(expected.body);
      } else if (op.type === "kill") {
        expect(await wisp.stop(op.signal)).toBe(0);
      }
    }
  } finally {
    await wisp.stop("SIGKILL");
    for (const server of servers) server.close();
  }
}

/**
 * The cases of the suite in `dir`, each run as its specification says. `notYet` names the cases
 * that need what Wisp does not serve yet, with why: they are listed as skipped, not passed.
 */
function suite(title: string, dir: string | undefined, minimum: number, notYet: Record<string, string> = {}): void {
  describe.skipIf(!dir)(title, () => {
    const cases = dir ? readdirSync(dir).filter((f) => f.endsWith(".wasm")) : [];
    const cacheFor = sharedComponentCache();

    it("finds the cases", () => {
      expect(cases.length).toBeGreaterThanOrEqual(minimum);
    });

    for (const file of cases) {
      const name = file.slice(0, -5);
      const reason = Object.entries(notYet).find(([prefix]) => name.startsWith(prefix))?.[1];
      it.skipIf(reason !== undefined)(
        reason ? `${name} (not yet: ${reason})` : name,
        { timeout: 120_000 },
        async () => {
          const specFile = join(dir!, `${name}.json`);
          const spec: Spec = existsSync(specFile) ? (JSON.parse(readFileSync(specFile, "utf8")) as Spec) : {};
          const operations = spec.operations ?? [{ type: "run" }, { type: "wait" }];
          if (spec.world === "wasi:http/service") await serveHttp(spec, join(dir!, file), operations, cacheFor);
          else await runCommand(dir!, file, operations, spec);
        },
      );
    }
  });
}

suite("wasi-testsuite 0.3 (wasm32-wasip3), the machine's set", present ? SUITE : undefined, 9);

// The same cases as Spin 4.0's toolchains name WASI 0.3 (0.3.0-rc-2026-03-15), which Spin 4.0 serves.
suite(
  "wasi-testsuite 0.3, the machine's set renamed to 0.3.0-rc-2026-03-15",
  present ? await asReleaseCandidate(SUITE) : undefined,
  9,
);

suite("wasi-testsuite 0.3 (wasm32-wasip3), the upstream set", upstreamSet(), 50, {});
