import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnTracked } from "../support/child-processes.js";
import { fixtureWasm, repoRoot } from "../support/dist.js";
import { runWisp, WispProcess } from "../support/wisp-process.js";

/*
 * What a user can write that Wisp used to take and then misbehave on: a limit past what the runtime
 * can enforce, a source or a store that is not a regular file, a corrupt store, a command module
 * that cannot be linked. Each must stop the command at start, as a user error naming the thing.
 */

const cli = join(repoRoot, "bundle", "cli", "main.js");

/** An app folder holding `spin.toml` (one WAGI component, `web`, on /...) and a copy of a WAT-built module. */
function app(component = "", extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "wisp-limits-"));
  writeFileSync(
    join(dir, "spin.toml"),
    [
      "spin_manifest_version = 2",
      "[application]",
      'name = "limits"',
      "[[trigger.http]]",
      'route = "/..."',
      'component = "web"',
      'executor = { type = "wagi" }',
      "[component.web]",
      /^source =/m.test(component) ? "" : 'source = "web.wasm"',
      component,
      "",
    ].join("\n"),
  );
  copyFileSync(fixtureWasm("wagi-entrypoints"), join(dir, "web.wasm"));
  for (const [name, content] of Object.entries(extra)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/**
 * Runs `wisp ARGS` until it exits, or stops it after `ms` if it serves (or hangs) instead: the
 * old code served these apps, or read /dev/zero forever, so "it did not exit" is a failure too.
 */
function runBriefly(args: string[], ms = 20_000): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawnTracked(process.execPath, [cli, ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `wisp up` on the app must exit 1 with a user error (no stack trace) holding `code`; answers its stderr. */
async function upRefuses(dir: string, code: string, extraArgs: string[] = []): Promise<string> {
  const result = await runBriefly(["up", "-f", dir, "--listen", "127.0.0.1:0", ...extraArgs]);
  expect(result.code, `wisp up did not stop at start:\n${result.stdout}\n${result.stderr}`).toBe(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toContain("internal error");
  expect(result.stderr).toContain(`error[${code}]`);
  expect(result.stderr).toContain("hint: ");
  return result.stderr;
}

describe("limits past their documented maximum are refused at start, naming the component and the key", () => {
  it.each([
    ['timeout = "36000m"', 'timeout = "36000m"', "timeout", "2147483647ms"],
    ["timeout = 2147483648", "timeout = 2147483648", "timeout", "2147483647ms"],
    ['max_memory = "8GiB"', 'max_memory = "8GiB"', "max_memory", "4GiB"],
    [
      "a 400-digit max_request_body",
      `max_request_body = "${"9".repeat(400)}"`,
      "max_request_body",
      "9007199254740991 bytes",
    ],
  ])("%s", async (_label, setting, key, maximum) => {
    const dir = app(`[component.web.tool.wisp]\n${setting}`);
    const stderr = await upRefuses(dir, "MANIFEST_INVALID");
    expect(stderr).toContain(`${join(dir, "spin.toml")}:`);
    expect(stderr).toContain(`\`component.web.tool.wisp.${key}\``);
    expect(stderr).toContain(`more than the maximum, ${maximum}`);
  });

  it("each maximum itself is served as written: a request under the longest timeout answers, not 504", async () => {
    const dir = app(
      '[component.web.tool.wisp]\ntimeout = "35791m"\nmax_memory = "4GiB"\nmax_request_body = 9007199254740991',
    );
    const wisp = await WispProcess.up(["-f", dir]);
    try {
      const response = await fetch(`${wisp.url}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("start");
    } finally {
      await wisp.stop();
    }
  });
});

describe("sources and files that are not regular files are refused at start, naming the path and the key", () => {
  it('source = "/dev/zero" (wisp up used to read it forever)', async () => {
    const stderr = await upRefuses(app('source = "/dev/zero"'), "COMPONENT_SOURCE_MISSING");
    expect(stderr).toContain("component web: its `source` /dev/zero is a character device, not a file");
  });

  it("a source that is a folder", async () => {
    const dir = app('source = "build"', { "build/keep": "" });
    const stderr = await upRefuses(dir, "COMPONENT_SOURCE_MISSING");
    expect(stderr).toContain(`its \`source\` ${join(dir, "build")} is a folder, not a file`);
  });

  it("wisp up --from /dev/zero and wisp run /dev/zero", async () => {
    const up = await runBriefly(["up", "--from", "/dev/zero", "--listen", "127.0.0.1:0"]);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain("--from /dev/zero is a character device, not a file");
    const run = await runBriefly(["run", "/dev/zero"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("/dev/zero is a character device, not a file");
  });

  it('files = [{ source = "/etc", ... }] gives the true reason: it is outside the app folder (not "/etc does not exist")', async () => {
    const dir = app('files = [{ source = "/etc", destination = "/etc" }]');
    const stderr = await upRefuses(dir, "FILES_INVALID");
    expect(stderr).not.toContain("does not exist");
    expect(stderr).toContain(`component web: \`files\` source "/etc" is /etc, outside the app folder ${dir}`);
  });

  it("a files mapping whose source is a device inside the app folder, named by its path", async () => {
    const dir = app('files = [{ source = "static", destination = "/static" }]');
    // Making a device node takes privileges; a link to one is what an app folder can hold.
    symlinkSync("/dev/null", join(dir, "static"));
    const stderr = await upRefuses(dir, "FILES_INVALID");
    expect(stderr).toContain(
      `\`files\` source "static" (${join(dir, "static")}) is a character device, not a file or a folder`,
    );
  });

  it("a files mapping whose source is a named pipe (a guest reading it would wait forever)", async () => {
    const dir = app('files = [{ source = "pipe", destination = "/pipe" }]');
    await mkfifo(join(dir, "pipe"));
    const stderr = await upRefuses(dir, "FILES_INVALID");
    expect(stderr).toContain(
      `\`files\` source "pipe" (${join(dir, "pipe")}) is a named pipe (FIFO), not a file or a folder`,
    );
  });
});

describe("store files: corrupt or not files at all, refused at start with the path and the key", () => {
  it("a corrupt default key-value store granted to a component", async () => {
    const dir = app('key_value_stores = ["default"]', {
      ".wisp/sqlite_key_value.db": "this is not a database, it is a text file",
    });
    const stderr = await upRefuses(dir, "RUNTIME_CONFIG_INVALID");
    expect(stderr).toContain(
      `component web is granted the key-value store "default" (\`key_value_stores\`), whose file ${join(dir, ".wisp", "sqlite_key_value.db")} is not a SQLite database`,
    );
  });

  it("wisp up --key-value against a corrupt default store: a user error naming the file, not an internal error", async () => {
    const dir = app("", { ".wisp/sqlite_key_value.db": "this is not a database, it is a text file" });
    const stderr = await upRefuses(dir, "RUNTIME_CONFIG_INVALID", ["--key-value", "a=b"]);
    expect(stderr).toContain(
      `cannot open the SQLite file ${join(dir, ".wisp", "sqlite_key_value.db")}: file is not a database`,
    );
  });

  it("a corrupt default SQLite database granted to a component", async () => {
    const dir = app('sqlite_databases = ["default"]', { ".wisp/sqlite_db.db": "garbage".repeat(20) });
    const stderr = await upRefuses(dir, "RUNTIME_CONFIG_INVALID");
    expect(stderr).toContain(
      `SQLite database "default" (\`sqlite_databases\`), whose file ${join(dir, ".wisp", "sqlite_db.db")} is not a SQLite database`,
    );
  });

  it.each([
    ["key_value_store", 'type = "spin"\npath = "/etc/passwd"', "/etc/passwd is not a SQLite database"],
    ["key_value_store", 'type = "spin"\npath = "no-such-folder/kv.db"', "no-such-folder does not exist"],
    ["key_value_store", 'type = "spin"\npath = "."', "is a folder, not a SQLite file"],
    ["sqlite_database", 'path = "/dev/zero"', "/dev/zero is not a regular file"],
  ])("runtime config [%s.notes] %s", async (section, body, problem) => {
    const grant = section === "key_value_store" ? 'key_value_stores = ["notes"]' : 'sqlite_databases = ["notes"]';
    const dir = app(grant, { "runtime-config.toml": `[${section}.notes]\n${body}\n` });
    const stderr = await upRefuses(dir, "RUNTIME_CONFIG_INVALID", [
      "--runtime-config-file",
      join(dir, "runtime-config.toml"),
    ]);
    expect(stderr).toContain(`${join(dir, "runtime-config.toml")}: \`${section}.notes.path\``);
    expect(stderr).toContain(problem);
  });
});

describe("core modules that claim a component type but are no component's: refused at start, never a crash", () => {
  /** An app whose one wasi:http component is `bytes`, a core module. */
  function httpApp(bytes: Uint8Array): string {
    const dir = mkdtempSync(join(tmpdir(), "wisp-claims-"));
    writeFileSync(
      join(dir, "spin.toml"),
      'spin_manifest_version = 2\n[application]\nname = "claims"\n[[trigger.http]]\nroute = "/..."\ncomponent = "web"\n[component.web]\nsource = "web.wasm"\n',
    );
    writeFileSync(join(dir, "web.wasm"), bytes);
    return dir;
  }
  const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

  it("a component type that is garbage", async () => {
    const name = new TextEncoder().encode("component-type:x");
    const section = [name.length, ...name, 0xde, 0xad, 0xbe, 0xef];
    const stderr = await upRefuses(
      httpApp(Uint8Array.from([...HEADER, 0x00, section.length, ...section])),
      "COMPONENT_INVALID_WASM",
    );
    expect(stderr).toContain("it carries a component type, but no component can be made of it");
  });

  it("a real component type on a module that exports nothing it names", async () => {
    // The type of the SDK fixture (its custom sections), on a module with no code at all.
    const embedded = readFileSync(fixtureWasm("spin-sdk-module"));
    const { readSections } = await import("../../src/engine/wasm/binary-reader.js");
    const custom = readSections(embedded).filter((section) => section.id === 0);
    const bytes = Uint8Array.from([
      ...HEADER,
      ...custom.flatMap((section) => [...embedded.subarray(section.start, section.end)]),
    ]);
    const stderr = await upRefuses(httpApp(bytes), "COMPONENT_INVALID_WASM");
    expect(stderr).toContain("no component can be made of it");
  });

  it("a module carrying a component type, cut off midway", async () => {
    const embedded = readFileSync(fixtureWasm("spin-sdk-module"));
    await upRefuses(httpApp(embedded.subarray(0, Math.floor(embedded.length / 2))), "COMPONENT_INVALID_WASM");
  });
});

describe("wisp run names what a module lacks, as wisp up does, instead of an internal error", () => {
  async function runRefuses(file: string): Promise<string> {
    const result = await runWisp(["run", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain("internal error");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toContain("error[COMPONENT_LINK]");
    return result.stderr;
  }

  it("an import Wisp does not provide", async () => {
    expect(await runRefuses(fixtureWasm("wagi-unknown-import"))).toContain(
      "imports env.host_magic, which Wisp does not provide",
    );
  });

  it("no _start", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "wisp-run-")), "empty.wasm");
    writeFileSync(file, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])); // a valid module with nothing in it
    expect(await runRefuses(file)).toContain(`${file} exports no _start function`);
  });

  it("an HTTP handler, a component or a Spin 1 module, names itself and how to serve it", async () => {
    const env = { ...process.env, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), "wisp-run-cache-")) };
    const component = await runWisp(["run", fixtureWasm("http-hello")], { env });
    expect(component.code).toBe(1);
    expect(component.stderr).toContain("and no wasi:cli/run@0.2.x or @0.3.x, which wisp run calls");
    expect(component.stderr).toContain("serve it with `wisp up --from");
    expect(await runRefuses(fixtureWasm("spin1-http"))).toContain(
      "is an HTTP handler of Spin's first HTTP ABI (it exports handle-http-request), not a command",
    );
  });

  it("a preview0 module pointing past its memory in the calls whose layouts Wisp adapts gets EFAULT, never a crash", async () => {
    const result = await runWisp(["run", fixtureWasm("run-preview0-hostile")]);
    // Exit 7: filestat and poll_oneoff answered EFAULT, a whence with no case EINVAL (run-preview0-hostile.wat).
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 7, stderr: "" });
  });

  it("Wisp's flags come before the module; everything after it is the module's own, flags included", async () => {
    const wasm = fixtureWasm("wagi-env");
    const result = await runWisp(["run", "--env", "GREETING=hi", wasm, "--env", "x", "--", "y"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("ENV GREETING=hi");
    expect(result.stdout).toContain(`ARG 0=${wasm}\nARG 1=--env\nARG 2=x\nARG 3=--\nARG 4=y\n`);
  });

  it("a module that links still runs", async () => {
    const result = await runWisp(["run", fixtureWasm("wagi-entrypoints")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("start");
  });
});

function mkfifo(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnTracked("mkfifo", [path], { stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo exited with ${code}`))));
  });
}
