// Starting and stopping the servers the benchmark compares, each in its own process.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const root = join(new URL(".", import.meta.url).pathname, "..");
export const wispCli = join(root, "dist/cli/main.js");

/** Starts a process that prints "Serving URL"; resolves with its URL, pid and a stop function. */
export function start(args, { cwd = root } = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const match = /Serving (\S+)/.exec(out);
      if (match) {
        child.stdout.removeAllListeners("data");
        child.stdout.resume();
        resolve({
          url: match[1],
          pid: child.pid,
          startMs: performance.now() - started,
          stop: () => new Promise((done) => {
            child.once("exit", done);
            child.kill("SIGINT");
          }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}: ${err}`)));
  });
}

/** Peak resident memory of a process (all its threads), in MB. */
export function peakRssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmHWM:"));
  return Math.round(Number(line.replace(/\D/g, "")) / 1024);
}

export const plainNode = () => start([join(root, "bench/plain-node-server.mjs")]);
export const plainNodeEcho = () => start([join(root, "bench/plain-node-server.mjs"), "--echo"]);
export const wispFrom = (wasm, cwd) => start([wispCli, "up", "--listen", "127.0.0.1:0", "--from", wasm], { cwd });
export const wispApp = (dir) => start([wispCli, "up", "--listen", "127.0.0.1:0"], { cwd: dir });
