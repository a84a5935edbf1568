import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planFromManifest } from "../../../src/app/plan-from-manifest.js";
import { DEFAULT_LIMITS } from "../../../src/app/serve-plan.js";
import { loadManifest, parseDuration, parseSize } from "../../../src/manifest/index.js";
import { repoRoot } from "../../support/dist.js";

const wagiApp = join(repoRoot, "test/fixtures/apps/wagi");

describe("loadManifest", () => {
  it("finds spin.toml in a folder and reads components, files, environment, executors and limits", async () => {
    const manifest = await loadManifest(wagiApp);
    expect(manifest.file).toBe(join(wagiApp, "spin.toml"));
    expect(manifest.name).toBe("wagi-e2e");
    const files = manifest.components.get("files")!;
    expect(files.files).toEqual([{ kind: "map", source: "static", destination: "/static" }, { kind: "glob", pattern: "data/*.txt" }]);
    expect(files.excludeFiles).toEqual(["data/skip.txt"]);
    expect(files.source).toEqual({ kind: "path", path: join(repoRoot, "test/fixtures/.build/wagi-files.wasm") });
    expect(manifest.components.get("env")!.environment).toEqual([["GREETING", "hi from the manifest"]]);
    expect(manifest.components.get("loop")!.limits).toEqual({ ...DEFAULT_LIMITS, timeoutMs: 500 });
    expect(manifest.components.get("hog")!.limits.maxMemoryBytes).toBe(16 * 1024 * 1024);
    expect(manifest.components.get("small-echo")!.limits.maxRequestBodyBytes).toBe(1024);
    const argvRoute = manifest.httpTriggers.find((t) => t.route === "/users/:id/posts/:post")!;
    expect(argvRoute.executor).toEqual({ type: "wagi", argv: "prog ${SCRIPT_NAME} --args ${ARGS}", entrypoint: undefined });
    expect(manifest.httpTriggers.find((t) => t.componentId === "hidden")!.route).toEqual({ private: true });
  });

  it("falls back to wisp.toml, reads inline components, static responses, variables and url sources", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-manifest-"));
    const digest = "sha256:" + "ab".repeat(32);
    writeFileSync(join(dir, "wisp.toml"), `spin_manifest_version = 2
[application]
name = "inline"
[variables]
token = { required = true, secret = true }
[[trigger.http]]
id = "api"
route = "/api/..."
component = { source = { url = "https://example.com/api.wasm", digest = "${digest}" }, allowed_outbound_hosts = ["https://example.com"] }
[[trigger.http]]
route = "/old"
static_response = { status_code = 308, headers = { location = "/new" }, body = "moved" }
[[trigger.redis]]
channel = "x"
component = "api-component"
`);
    const manifest = await loadManifest(dir);
    expect(manifest.file).toBe(join(dir, "wisp.toml"));
    expect(manifest.variables.get("token")).toEqual({ default: undefined, required: true, secret: true });
    const api = manifest.components.get("api-component")!;
    expect(api.source).toEqual({ kind: "url", url: "https://example.com/api.wasm", digest });
    expect(api.allowedOutboundHosts).toEqual(["https://example.com"]);
    expect(manifest.otherTriggers).toEqual(["redis"]);
    const plan = planFromManifest(manifest);
    expect(plan.routes).toEqual([
      { route: "/api/...", kind: "component", componentId: "api-component", executor: "wasi-http", wagiArgv: "", wagiEntrypoint: "_start" },
      { route: "/old", kind: "static", status: 308, headers: [["location", "/new"]], body: new TextEncoder().encode("moved") },
    ]);
  });

  it("reads local component dependencies, for the build order", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-deps-"));
    writeFileSync(join(dir, "spin.toml"), `spin_manifest_version = 2
[application]
name = "deps"
[component.web]
source = "web.wasm"
[component.web.dependencies]
"my:lib/api" = { path = "lib/lib.wasm" }
"my:other/api" = { component = "other" }
"my:remote/api" = { version = "1.0.0" }
[component.other]
source = "other.wasm"
`);
    const manifest = await loadManifest(dir);
    expect(manifest.components.get("web")!.localDependencies).toEqual({ paths: [join(dir, "lib/lib.wasm")], components: ["other"] });
  });

  it("plans only public routes, and only the components they use", async () => {
    const plan = planFromManifest(await loadManifest(wagiApp));
    expect(plan.components.map((c) => c.id)).not.toContain("hidden");
    expect(plan.routes.every((r) => typeof r.route === "string")).toBe(true);
  });
});

describe("sizes and durations", () => {
  it.each([["16MiB", 16 * 1024 * 1024], ["1KiB", 1024], ["200MB", 200e6], [512, 512], ["1.5GiB", 1.5 * 1024 ** 3]])("size %s", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });
  it.each([["500ms", 500], ["30s", 30_000], ["2m", 120_000], [250, 250]])("duration %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it("rejects nonsense", () => {
    expect(parseSize("lots")).toBeUndefined();
    expect(parseSize("0")).toBeUndefined();
    expect(parseDuration("soon")).toBeUndefined();
  });
});
