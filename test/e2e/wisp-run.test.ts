import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { runWisp } from "../support/wisp-process.js";

/** `wisp run` of every kind of WASI command `wasmtime run` runs: preview1 and preview0 modules, wasi:cli/run components. */
describe("wisp run, as wasmtime run", () => {
  it("runs a wasi_unstable (preview 0) command, its three layouts that differ from preview1's adapted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-run-p0-"));
    writeFileSync(join(dir, "data.txt"), "abcdefg");
    const result = await runWisp(["run", "--dir", `${dir}::/`, fixtureWasm("run-preview0")]);
    // Exit 3, 4 or 6 would name the layout the host got wrong (see run-preview0.wat).
    expect({ code: result.code, stdout: result.stdout }).toEqual({
      code: 0,
      stdout: "hello from wasi_unstable\nfg 7\n",
    });
  });

  it("runs a wasi:cli/run component with its arguments, translated once into the user's cache, not the working folder", async () => {
    const cache = mkdtempSync(join(tmpdir(), "wisp-run-cache-"));
    const cwd = mkdtempSync(join(tmpdir(), "wisp-run-cwd-"));
    const env = { ...process.env, XDG_CACHE_HOME: cache };
    const result = await runWisp(["run", fixtureWasm("run-command"), "one", "--two"], { env, cwd });
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
      code: 0,
      stdout: "hello from a command component: one --two\n",
      stderr: "",
    });
    expect(existsSync(join(cache, "wisp", "components"))).toBe(true);
    expect(existsSync(join(cwd, ".wisp"))).toBe(false);
    // A granted directory, read-write as wasmtime's: it reads the file, then writes into it.
    const dir = mkdtempSync(join(tmpdir(), "wisp-run-dir-"));
    writeFileSync(join(dir, "hello.txt"), "from a granted dir");
    const reads = await runWisp(["run", "--dir", `${dir}::/data`, fixtureWasm("run-command"), "x"], { env, cwd });
    expect({ code: reads.code, stdout: reads.stdout }).toEqual({
      code: 0,
      stdout: "hello from a command component: x\nfile: from a granted dir\nwrite: done\n",
    });
    expect(readFileSync(join(dir, "hello.txt"), "utf8")).toBe("helloa granted dir");
    // run's `err` is exit status 1, as wasmtime gives it.
    const failed = await runWisp(["run", fixtureWasm("run-command"), "fail"], { env, cwd });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe("hello from a command component: fail\n");
  });

  it("runs a 0.2 command's sockets where -S inherit-network grants them, and refuses them otherwise, saying which option allows them", async () => {
    const server = createServer((socket) => socket.on("data", (bytes) => socket.end(`echo:${bytes.toString()}`)));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = String((server.address() as AddressInfo).port);
    try {
      const granted = await runWisp([
        "run",
        "-S",
        "inherit-network",
        fixtureWasm("http-sockets"),
        "tcp",
        "127.0.0.1",
        port,
        "hi",
      ]);
      expect({ code: granted.code, stdout: granted.stdout }).toEqual({ code: 0, stdout: "echo:hi\r\n" });
      const denied = await runWisp(["run", fixtureWasm("http-sockets"), "tcp", "127.0.0.1", port, "hi"]);
      expect({ code: denied.code, stdout: denied.stdout }).toEqual({
        code: 1,
        stdout: "error: start-connect: access-denied\n",
      });
      expect(denied.stderr).toContain(`denied tcp-connect to 127.0.0.1:${port}: run with -S inherit-network`);
      const lookup = await runWisp([
        "run",
        "-S",
        "inherit-network",
        fixtureWasm("http-sockets"),
        "lookup",
        "localhost",
      ]);
      expect(lookup.stderr).toContain("denied looking up localhost: run with -S allow-ip-name-lookup");
      const looked = await runWisp([
        "run",
        "-S",
        "inherit-network",
        "-S",
        "allow-ip-name-lookup",
        fixtureWasm("http-sockets"),
        "tcp",
        "localhost",
        port,
        "by-name",
      ]);
      expect(looked.stdout).toBe("echo:by-name\r\n");
    } finally {
      server.close();
    }
  });
});
