import { APP_MANIFEST_EXTENSIONS } from "../../../src/app/load-app-manifest.js";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planFromManifest } from "../../../src/app/plan-from-manifest.js";
import { DEFAULT_LIMITS } from "../../../src/manifest/component-limits.js";
import { DEFAULT_WAGI_ARGV, DEFAULT_WAGI_ENTRYPOINT } from "../../../src/triggers/http/executors/wagi/wagi-config.js";
import { WispError } from "../../../src/errors/wisp-error.js";
import { loadManifest, parseManifest } from "../../../src/manifest/index.js";
import { repoRoot } from "../../support/dist.js";

const wagiApp = join(repoRoot, "test/fixtures/apps/wagi");
const appDir = join(repoRoot, "test/fixtures/manifests/valid");
const manifest = (body: string) =>
  parseManifest(
    `spin_manifest_version = 2\n[application]\nname = "plan"\nversion = "0.3.0"\n${body}`,
    join(appDir, "spin.toml"),
    APP_MANIFEST_EXTENSIONS,
  );

describe("planFromManifest", () => {
  it("routes every public trigger of the WAGI app, in manifest order, and no private one", async () => {
    const plan = planFromManifest(await loadManifest(wagiApp, APP_MANIFEST_EXTENSIONS));
    expect(plan.appName).toBe("wagi-e2e");
    expect(plan.appDir).toBe(wagiApp);
    expect(plan.triggers.http!.routes.map((r) => r.route)).toEqual([
      "/hello",
      "/as",
      "/counter",
      "/state",
      "/env/...",
      "/users/:id/posts/:post",
      "/echo",
      "/small-echo",
      "/cases",
      "/files",
      "/trap",
      "/loop",
      "/busy",
      "/sleep",
      "/hog",
      "/entry",
      "/entry-alt",
    ]);
    expect(plan.triggers.http!.routes.find((r) => r.route === "/users/:id/posts/:post")).toEqual({
      route: "/users/:id/posts/:post",
      kind: "component",
      componentId: "env",
      executor: {
        kind: "wagi",
        config: { argv: "prog ${SCRIPT_NAME} --args ${ARGS}", entrypoint: DEFAULT_WAGI_ENTRYPOINT },
      },
    });
    expect(plan.triggers.http!.routes.find((r) => r.route === "/entry-alt")).toMatchObject({
      executor: { kind: "wagi", config: { argv: DEFAULT_WAGI_ARGV, entrypoint: "alt" } },
    });
  });

  it("plans the components the routes use, with their files and limits, and not the private route's", async () => {
    const plan = planFromManifest(await loadManifest(wagiApp, APP_MANIFEST_EXTENSIONS));
    const ids = plan.components.map((c) => c.id);
    expect(ids).not.toContain("hidden");
    expect(ids).toContain("entrypoints");
    expect(new Set(ids).size).toBe(ids.length);
    const files = plan.components.find((c) => c.id === "files")!;
    expect(files.files).toEqual([
      { kind: "map", source: "static", destination: "/static" },
      { kind: "glob", pattern: "data/*.txt" },
    ]);
    expect(files.excludeFiles).toEqual(["data/skip.txt"]);
    expect(plan.components.find((c) => c.id === "loop")!.limits).toEqual({ ...DEFAULT_LIMITS, timeoutMs: 500 });
    expect(plan.components.find((c) => c.id === "env")!.environment).toEqual([["GREETING", "hi from the manifest"]]);
  });

  it("serves the http executor (named, by its old name, or by default) as wasi-http, and static responses as static", () => {
    const plan = planFromManifest(
      manifest(`
[[trigger.http]]
route = "/a"
component = "web"
[[trigger.http]]
route = "/b"
component = "web"
executor = { type = "spin" }
[[trigger.http]]
route = "/c/..."
component = { source = "c.wasm" }
executor = { type = "http" }
[[trigger.http]]
route = "/old"
static_response = { status_code = 301, headers = { location = "/new" } }
[[trigger.http]]
route = { private = true }
component = "worker"
[component.web]
source = "web.wasm"
[component.worker]
source = "worker.wasm"
`),
    );
    expect(plan.appVersion).toBe("0.3.0");
    expect(plan.appDir).toBe(appDir);
    expect(plan.triggers.http!.routes).toEqual([
      { route: "/a", kind: "component", componentId: "web", executor: { kind: "wasi-http", config: {} } },
      { route: "/b", kind: "component", componentId: "web", executor: { kind: "wasi-http", config: {} } },
      {
        route: "/c/...",
        kind: "component",
        componentId: "http-trigger2-component",
        executor: { kind: "wasi-http", config: {} },
      },
      { route: "/old", kind: "static", status: 301, headers: [["location", "/new"]], body: new Uint8Array() },
    ]);
    // `/b` is web's second trigger, so it took the id http-trigger1, and the inline component's trigger http-trigger2.
    expect(plan.components.map((c) => c.id)).toEqual(["web", "http-trigger2-component"]);
    expect(plan.components[1]!.source).toEqual({ kind: "path", path: join(appDir, "c.wasm") });
  });

  it("grants key-value stores and databases the runtime config defines, and outbound hosts parsed", () => {
    const plan = planFromManifest(
      manifest(`
[[trigger.http]]
route = "/"
component = "web"
[component.web]
source = "web.wasm"
key_value_stores = ["default"]
sqlite_databases = ["default"]
allowed_outbound_hosts = ["https://api.example.com"]
`),
    );
    const web = plan.components[0]!;
    expect(web.grants.keyValue.map(([label]) => label)).toEqual(["default"]);
    expect(web.grants.sqlite.map(([label]) => label)).toEqual(["default"]);
    expect(web.grants.allowedOutboundHosts).toHaveLength(1);
  });

  it("refuses a store no runtime config defines, naming it", () => {
    const plan = () =>
      planFromManifest(
        manifest(`
[[trigger.http]]
route = "/"
component = "web"
[component.web]
source = "web.wasm"
key_value_stores = ["sessions"]
`),
      );
    expect(plan).toThrow(WispError);
    expect(plan).toThrow(/sessions/);
  });
});
