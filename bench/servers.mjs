// Starting and stopping the servers the benchmark compares, each in its own process.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:net";
import { compileWat } from "./wat.mjs";
import { jco, workerd } from "./tools.mjs";

export const root = join(new URL(".", import.meta.url).pathname, "..");
export const wispCli = join(root, "bundle/cli/main.js");
const STDERR_KEPT = 64 * 1024;

/**
 * Spawns a server and waits for `ready(child)` to find its URL. Resolves with the URL, the pid of
 * the process that serves (`ready` may name a child of the one spawned), the time to ready, its
 * stderr so far (the first 64 KiB), `ended` (resolves with { code, signal } when the spawned
 * process exits, for whatever reason) and a stop function that SIGINTs the server and waits for the
 * spawned process to exit.
 */
function launch(command, args, { cwd = root, ready, stdio = ["ignore", "pipe", "pipe"], env = process.env }) {
  const started = performance.now();
  const child = spawn(command, args, { cwd, stdio, env });
  let err = "";
  child.stderr.on("data", (d) => (err = err.length < STDERR_KEPT ? err + d : err));
  child.stdout?.resume(); // a full pipe would stall the server; `ready` may still listen to it
  const exited = new Promise((done) => child.once("exit", done));
  // How the spawned process ended ({ code, signal }), whenever it does: a soak watches it for a crash.
  const ended = new Promise((done) => child.once("exit", (code, signal) => done({ code, signal })));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${command} ${args.join(" ")} exited with ${code}: ${err}`)));
    ready(child).then(
      ({ url, pid = child.pid }) =>
        resolve({
          url,
          pid,
          startMs: performance.now() - started,
          stderr: () => err,
          ended,
          stop: () => {
            process.kill(pid, "SIGINT");
            return exited;
          },
        }),
      reject,
    );
  });
}

/** Resolves with the first match of `pattern` in a stream's text; leaves the stream flowing. */
function firstMatch(stream, pattern) {
  return new Promise((resolve) => {
    let text = "";
    const onData = (d) => {
      text += d;
      const match = pattern.exec(text);
      if (match) {
        stream.off("data", onData);
        resolve(match);
      }
    };
    stream.on("data", onData).resume();
  });
}

/** Starts a Node process that prints "Serving URL". */
export function start(args, { cwd = root, env } = {}) {
  return launch(process.execPath, args, {
    cwd,
    env,
    ready: async (child) => ({ url: (await firstMatch(child.stdout, /Serving (\S+)/))[1] }),
  });
}

/** Peak resident memory of a process (all its threads), in MB. */
export function peakRssMb(pid) {
  return statusMb(pid, "VmHWM");
}

/**
 * Starts a new peak for peakRssMb (Linux: writing 5 to clear_refs resets VmHWM) and returns the
 * peak until now: what the server's start took (transpiling a component on a cold cache) is then
 * kept apart from what serving takes.
 */
export function resetPeakRss(pid) {
  const startPeak = peakRssMb(pid);
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
  return startPeak;
}

/** Resident memory of a process now, in MB. */
export function rssMb(pid) {
  return statusMb(pid, "VmRSS");
}

function statusMb(pid, field) {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${field}:`));
  return Math.round(Number(line.replace(/\D/g, "")) / 1024);
}

/** A port free on loopback now, for servers that cannot be told to pick one and say which. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
      .once("error", reject)
      .listen(0, "127.0.0.1", () => {
        const { port } = probe.address();
        probe.close(() => resolve(port));
      });
  });
}

export const plainNode = () => start([join(root, "bench/plain-node-server.mjs")]);
export const plainNodeEcho = () => start([join(root, "bench/plain-node-server.mjs"), "--echo"]);
export const wispFrom = (wasm, cwd, flags = []) =>
  start([wispCli, "up", "--listen", "127.0.0.1:0", "--from", wasm, ...flags], { cwd });
export const wispApp = (dir, flags = [], env = undefined) =>
  start([wispCli, "up", "--listen", "127.0.0.1:0", ...flags], { cwd: dir, env });

/**
 * `jco serve` on a wasi:http component: one shared instance (jco's default), or with
 * `perRequest` a fresh instance per request (`--isolate-requests instance`). jco transpiles the
 * component, then runs the server in a child process: that child is the pid returned.
 */
export async function jcoServe(wasm, { perRequest = false } = {}) {
  const { cli } = jco();
  const port = await freePort();
  const isolate = perRequest ? ["--isolate-requests", "instance"] : [];
  return launch(process.execPath, [cli, "serve", ...isolate, "--host", "127.0.0.1", "--port", String(port), wasm], {
    ready: async (child) => {
      const [, host, listening] = await firstMatch(child.stderr, /Server listening @ (\S+?):(\d+)/);
      const server = Number(
        readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/)[0],
      );
      return { url: `http://${host}:${listening}`, pid: server };
    },
  });
}

/** workerd serving bench/workerd/hello-NAME.capnp ("js" or "wasm") on a port it picks and reports on its control fd. */
export async function workerdHello(name) {
  if (name === "wasm") await compileWat(join(root, "bench/workerd/hello.wat"), join(root, "bench/.tools/hello.wasm"));
  const config = join(root, `bench/workerd/hello-${name}.capnp`);
  return launch(workerd().binary, ["serve", config, "--socket-addr", "http=127.0.0.1:0", "--control-fd", "3"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
    ready: async (child) => ({ url: `http://127.0.0.1:${(await firstMatch(child.stdio[3], /"port":(\d+)/))[1]}` }),
  });
}
