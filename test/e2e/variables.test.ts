import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sharedComponentCache } from "../support/shared-cache.js";
import { fixtureWasm, repoRoot } from "../support/dist.js";
import { runWisp, WispProcess } from "../support/wisp-process.js";

/** The file's apps translate their components once (see sharedComponentCache). */
const useSharedCache = sharedComponentCache();

/** The variables app in a folder of its own, so a test can give it a `.env` file. */
function appCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "wisp-vars-"));
  const manifest = readFileSync(join(repoRoot, "test/fixtures/apps/variables/spin.toml"), "utf8");
  writeFileSync(join(dir, "spin.toml"), manifest.replace("../../.build/http-variables.wasm", "vars.wasm"));
  copyFileSync(fixtureWasm("http-variables"), join(dir, "vars.wasm"));
  useSharedCache(dir);
  return dir;
}

/** The environment without any variable of this app set (the test machine's own are ignored). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(WISP|SPIN)_VARIABLE_/.test(key)));
  return { ...env, ...extra };
}

async function variable(url: string, name: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/?name=${encodeURIComponent(name)}`);
  return { status: response.status, text: await response.text() };
}

describe("variables: fermyon:spin/variables and wasi:config/store for components, resolved at start", () => {
  it("refuses to start while a required variable has no value, naming it and how to set it", async () => {
    const result = await runWisp(["up", "-f", appCopy(), "--listen", "127.0.0.1:0"], { env: cleanEnv() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error[VARIABLE_MISSING]: the app's required variable api_token has no value");
    expect(result.stderr).toContain("--variable api_token=VALUE");
  });

  it("serves granted variables from --variable, .env and defaults; denies the rest; redacts secrets from logs", async () => {
    const dir = appCopy();
    writeFileSync(join(dir, ".env"), "SPIN_VARIABLE_REGION=us\nWISP_VARIABLE_GREETING=from dotenv\n");
    const wisp = await WispProcess.up(["--variable", "api_token=s3cret-value"], { cwd: dir, env: cleanEnv() });
    try {
      expect(await variable(wisp.url, "token")).toEqual({ status: 200, text: "Bearer s3cret-value" });
      expect(await variable(wisp.url, "where")).toEqual({ status: 200, text: "us-1" });
      expect(await variable(wisp.url, "greeting")).toEqual({ status: 200, text: "from dotenv, world" });
      // Declared by the app but not granted to this component under that name: the interface's error, not a trap.
      const denied = await variable(wisp.url, "api_token");
      expect(denied.status).toBe(404);
      expect(JSON.parse(denied.text).error.tag).toBe("undefined");
      expect(JSON.parse((await variable(wisp.url, "Not-A-Name")).text).error.tag).toBe("invalid-name");
    } finally {
      await wisp.stop();
    }
    // The guest printed the secret; its log shows it redacted, in the terminal and in the file.
    expect(wisp.stderr).toContain("[vars] serving token=[redacted]");
    expect(wisp.stdout + wisp.stderr).not.toContain("s3cret-value");
    const logFile = readFileSync(join(dir, ".wisp/logs/vars_stdout.txt"), "utf8");
    expect(logFile).toContain("serving greeting=from dotenv, world");
    expect(logFile).not.toContain("s3cret-value");
  });

  it("serves the same values through wasi:config/store: get answers none for what is not granted", async () => {
    const wisp = await WispProcess.up(["--variable", "api_token=s3cret-value"], { cwd: appCopy(), env: cleanEnv() });
    try {
      const viaConfig = async (name: string) => {
        const response = await fetch(`${wisp.url}/?via=config&name=${encodeURIComponent(name)}`);
        return { status: response.status, text: await response.text() };
      };
      expect(await viaConfig("greeting")).toEqual({ status: 200, text: "hello, world" });
      expect(await viaConfig("token")).toEqual({ status: 200, text: "Bearer s3cret-value" });
      // Not granted to this component, or not a variable name: none, as Spin answers, never an error.
      expect(await viaConfig("api_token")).toEqual({ status: 404, text: "no such key\n" });
      expect(await viaConfig("Not-A-Name")).toEqual({ status: 404, text: "no such key\n" });
      expect(await (await fetch(`${wisp.url}/all`)).json()).toEqual({
        greeting: "hello, world",
        token: "Bearer s3cret-value",
        where: "eu-1",
      });
    } finally {
      await wisp.stop();
    }
    expect(wisp.stderr).toContain("[vars] serving token=[redacted]");
    expect(wisp.stdout + wisp.stderr).not.toContain("s3cret-value");
  });

  it("takes the environment over .env and defaults, and --variable over all", async () => {
    const dir = appCopy();
    writeFileSync(join(dir, ".env"), "WISP_VARIABLE_GREETING=from dotenv\n");
    const env = cleanEnv({ WISP_VARIABLE_GREETING: "from env", SPIN_VARIABLE_API_TOKEN: "t" });
    for (const [args, expected] of [
      [[], "from env, world"],
      [["--variable", "greeting=from flag"], "from flag, world"],
    ] as const) {
      const wisp = await WispProcess.up([...args], { cwd: dir, env });
      try {
        expect((await variable(wisp.url, "greeting")).text).toBe(expected);
        expect((await variable(wisp.url, "where")).text).toBe("eu-1");
      } finally {
        await wisp.stop();
      }
    }
  });

  it("asks the runtime config's variables providers in order: static values, then an env prefix with its .env", async () => {
    const dir = appCopy();
    writeFileSync(join(dir, "secrets.env"), "MYAPP_API_TOKEN=from the provider's dotenv\nMYAPP_REGION=ap\n");
    writeFileSync(
      join(dir, "runtime-config.toml"),
      [
        "[[variables_provider]]",
        'type = "static"',
        'values = { greeting = "from static" }',
        "",
        "[[variables_provider]]",
        'type = "env"',
        'prefix = "MYAPP"',
        'dotenv_path = "secrets.env"',
      ].join("\n"),
    );
    const env = cleanEnv({ WISP_VARIABLE_GREETING: "from env (asked after the providers)", MYAPP_REGION: "us" });
    const wisp = await WispProcess.up(["--runtime-config-file", "runtime-config.toml"], { cwd: dir, env });
    try {
      expect((await variable(wisp.url, "greeting")).text).toBe("from static, world");
      expect((await variable(wisp.url, "token")).text).toBe("Bearer from the provider's dotenv");
      // The process environment wins over the provider's .env file.
      expect((await variable(wisp.url, "where")).text).toBe("us-1");
    } finally {
      await wisp.stop();
    }
  });

  it("refuses a --variable the app does not declare, and a template naming an undeclared variable", async () => {
    const dir = appCopy();
    const undeclared = await runWisp(
      ["up", "-f", dir, "--listen", "127.0.0.1:0", "--variable", "api_token=x", "--variable", "nope=1"],
      { env: cleanEnv() },
    );
    expect(undeclared.stderr).toContain("error[VARIABLE_UNDECLARED]: --variable nope");
    const manifest = join(dir, "spin.toml");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace("{{region}}-1", "{{ regoin }}-1"));
    const typo = await runWisp(["up", "-f", dir, "--listen", "127.0.0.1:0", "--variable", "api_token=x"], {
      env: cleanEnv(),
    });
    expect(typo.stderr).toContain(
      "component.vars.variables.where refers to {{ regoin }}, which [variables] does not declare",
    );
  });
});
