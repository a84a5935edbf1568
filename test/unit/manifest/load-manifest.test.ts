import { APP_MANIFEST_EXTENSIONS } from "../../../src/app/load-app-manifest.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import type { BuildableComponent } from "../../../src/app/build-app.js";
import { DEFAULT_LIMITS } from "../../../src/manifest/component-limits.js";
import { WispError } from "../../../src/errors/wisp-error.js";
import { loadManifest, type AppManifest, type ManifestComponent } from "../../../src/manifest/index.js";
import type { HttpTriggerConfig } from "../../../src/triggers/http/http-manifest.js";
import { planRoutes } from "../../../src/triggers/http/http-plan.js";
import { repoRoot } from "../../support/dist.js";

const wagiApp = join(repoRoot, "test/fixtures/apps/wagi");
const valid = join(repoRoot, "test/fixtures/manifests/valid");
const MiB = 1024 * 1024;

/** The manifest's `[[trigger.http]]` entries, each with what the HTTP trigger plans of it (none for a private route). */
function httpTriggers(manifest: AppManifest) {
  return manifest.triggers.get("http")!.map((entry) => {
    const [planned] = planRoutes([entry]);
    return {
      id: entry.id,
      componentId: entry.componentId,
      route: (entry.config as unknown as HttpTriggerConfig).route,
      executor: planned?.kind === "component" ? planned.executor : undefined,
      staticResponse:
        planned?.kind === "static"
          ? { status: planned.status, headers: planned.headers, body: planned.body }
          : undefined,
    };
  });
}

async function loadError(pathOrDir: string): Promise<WispError> {
  const error = await loadManifest(pathOrDir, APP_MANIFEST_EXTENSIONS).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WispError);
  return error as WispError;
}

describe("loadManifest: the WAGI fixture app", async () => {
  const manifest = await loadManifest(wagiApp, APP_MANIFEST_EXTENSIONS);
  const component = (id: string) => manifest.components.get(id)!;
  const trigger = (route: string) => httpTriggers(manifest).find((t) => t.route === route)!;

  it("finds spin.toml in the folder and names the app", () => {
    expect(manifest.file).toBe(join(wagiApp, "spin.toml"));
    expect(manifest.dir).toBe(wagiApp);
    expect(manifest.name).toBe("wagi-e2e");
    expect(manifest.version).toBeUndefined();
    expect(manifest.variables.size).toBe(0);
    expect(manifest.otherTriggers).toEqual([]);
  });

  it("resolves sources against the manifest's folder", () => {
    expect(component("hello").source).toEqual({
      kind: "path",
      path: join(repoRoot, "test/fixtures/.build/wagi-hello.wasm"),
    });
  });

  it("reads files mappings, globs and exclusions", () => {
    expect(component("files").files).toEqual([
      { kind: "map", source: "static", destination: "/static" },
      { kind: "glob", pattern: "data/*.txt" },
    ]);
    expect(component("files").excludeFiles).toEqual(["data/skip.txt"]);
    expect(component("hello").files).toEqual([]);
  });

  it("reads environment", () => {
    expect(component("env").environment).toEqual([["GREETING", "hi from the manifest"]]);
  });

  it("reads limits from [component.ID.tool.wisp], the defaults for the rest", () => {
    expect(component("loop").limits).toEqual({ ...DEFAULT_LIMITS, timeoutMs: 500 });
    expect(component("hog").limits).toEqual({ ...DEFAULT_LIMITS, maxMemoryBytes: 16 * MiB });
    expect(component("echo").limits.maxRequestBodyBytes).toBe(200 * MiB);
    expect(component("small-echo").limits.maxRequestBodyBytes).toBe(1024);
    expect(component("hello").limits).toEqual(DEFAULT_LIMITS);
  });

  it("reads WAGI executors: the default argv, a custom one, an entrypoint", () => {
    expect(trigger("/hello").executor).toEqual({
      kind: "wagi",
      config: { argv: "${SCRIPT_NAME} ${ARGS}", entrypoint: "_start" },
    });
    expect(trigger("/users/:id/posts/:post").executor).toEqual({
      kind: "wagi",
      config: { argv: "prog ${SCRIPT_NAME} --args ${ARGS}", entrypoint: "_start" },
    });
    expect(trigger("/entry-alt").executor).toEqual({
      kind: "wagi",
      config: { argv: "${SCRIPT_NAME} ${ARGS}", entrypoint: "alt" },
    });
  });

  it("keeps the private route, unrouted, with its component", () => {
    const hidden = httpTriggers(manifest).find((t) => t.componentId === "hidden")!;
    expect(hidden.route).toEqual({ private: true });
    expect(manifest.components.has("hidden")).toBe(true);
  });

  it("gives triggers Spin's ids", () => {
    expect(trigger("/hello").id).toBe("hello-http-trigger");
    expect(trigger("/env/...").id).toBe("env-http-trigger");
    expect(trigger("/users/:id/posts/:post").id).toBe("http-trigger1"); // the second trigger of `env`
  });
});

describe("loadManifest: every key", async () => {
  const manifest = await loadManifest(join(valid, "everything.toml"), APP_MANIFEST_EXTENSIONS);
  const web = manifest.components.get("web")!;
  const route = (r: string) => httpTriggers(manifest).find((t) => t.route === r)!;

  it("reads the application and its variables", () => {
    expect(manifest).toMatchObject({
      name: "everything",
      version: "1.2.3",
      description: "a manifest that uses every key",
    });
    expect([...manifest.variables]).toEqual([
      ["api_token", { default: undefined, required: true, secret: true }],
      ["greeting", { default: "hello", required: false, secret: false }],
    ]);
  });

  it("reads a component's grants, variables and build", () => {
    expect(web.source).toEqual({ kind: "path", path: join(valid, "web/dist/web.wasm") });
    expect(web.files).toEqual([
      { kind: "glob", pattern: "static/**/*" },
      { kind: "map", source: "assets", destination: "/assets" },
    ]);
    expect(web.excludeFiles).toEqual(["static/**/*.map"]);
    expect(web.environment).toEqual([
      ["MODE", "production"],
      ["LEVEL", "2"],
    ]);
    expect(web.capabilityKeys).toEqual({
      allowed_outbound_hosts: ["https://api.example.com", "redis://cache:6379"],
      key_value_stores: ["default", "sessions"],
      sqlite_databases: ["default"],
      variables: { token: "{{ api_token }}", hello: "{{ greeting }}, world" },
    });
    expect(web.build).toEqual({
      command: ["npm install", "npm run build"],
      workdir: "web",
      watch: ["src/**/*.ts", "package.json"],
    });
    expect(manifest.components.get("cgi")!.build).toEqual({ command: "make" });
  });

  it("reads local dependencies (for the build order) and ignores the rest", () => {
    expect(web.localDependencies).toEqual({ paths: [join(valid, "lib/lib.wasm")], components: ["worker"] });
  });

  it("reads limits as sizes and durations, or numbers; other tools' tables are ignored", () => {
    expect(web.limits).toEqual({ timeoutMs: 120_000, maxMemoryBytes: 64 * MiB, maxRequestBodyBytes: 1_000_000 });
    expect(manifest.components.get("cgi")!.limits).toEqual({ ...DEFAULT_LIMITS, timeoutMs: 1500, maxMemoryBytes: MiB });
  });

  it("reads absolute sources as they are, and url sources with their digest (lowercased)", () => {
    expect(manifest.components.get("cgi")!.source).toEqual({ kind: "path", path: "/opt/cgi.wasm" });
    expect(manifest.components.get("api-component")!.source).toEqual({
      kind: "url",
      url: "https://example.com/api.wasm",
      digest: "sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
    });
  });

  it("accepts Spin's component ids, UPPERCASE words included", () => {
    expect(manifest.components.has("API-v2")).toBe(true);
  });

  it("reads executors: http, its old name spin, and none all mean http", () => {
    const wasiHttp = { kind: "wasi-http", config: {} };
    expect(route("/web/...").executor).toEqual(wasiHttp);
    expect(route("/inline").executor).toEqual(wasiHttp);
    expect(route("/api/...").executor).toEqual(wasiHttp);
    expect(route("/cgi-args").executor).toEqual({
      kind: "wagi",
      config: { argv: "${SCRIPT_NAME} -v ${ARGS}", entrypoint: "main" },
    });
  });

  it("reads static responses, with Spin's defaults (200, no headers, empty body)", () => {
    expect(route("/old")).toMatchObject({
      componentId: undefined,
      staticResponse: {
        status: 308,
        headers: [
          ["location", "/new"],
          ["cache-control", "no-store"],
        ],
        body: new TextEncoder().encode("moved"),
      },
    });
    expect(route("/teapot").staticResponse).toEqual({ status: 200, headers: [], body: new Uint8Array() });
  });

  it("moves inline components into the components, under Spin's ids", () => {
    expect(route("/api/...").componentId).toBe("api-component");
    expect(manifest.components.get("api-component")!.capabilityKeys.allowed_outbound_hosts).toEqual([
      "https://example.com",
    ]);
    expect(route("/inline").componentId).toBe("http-trigger1-component");
    expect(manifest.components.get("http-trigger1-component")!.source).toEqual({
      kind: "path",
      path: join(valid, "inline.wasm"),
    });
  });

  it("names trigger types it does not run", () => {
    expect(manifest.otherTriggers).toEqual(["redis"]);
  });

  it("gives components `wisp build` can build", () => {
    const buildable: BuildableComponent[] = [...manifest.components.values()] satisfies ManifestComponent[];
    expect(buildable.map((c) => c.id)).toContain("web");
  });
});

describe("loadManifest: generated ids", () => {
  it("follows Spin: <component>-http-trigger, http-trigger<N>, <trigger>-component, inline-component<N>", async () => {
    const manifest = await loadManifest(join(valid, "generated-ids.toml"), APP_MANIFEST_EXTENSIONS);
    expect(httpTriggers(manifest).map((t) => [t.route, t.id, t.componentId])).toEqual([
      ["/a", "web-http-trigger", "web"],
      ["/b", "http-trigger2", "web"], // web-http-trigger is taken, and so is http-trigger1 (by /d)
      ["/c", "http-trigger3", "http-trigger3-component"],
      ["/d", "http-trigger1", undefined],
      ["/e", "taken", "inline-component1"], // taken-component is a component already
      ["/f", "Not_Kebab", "inline-component2"], // Not_Kebab-component is not a valid id
    ]);
  });
});

describe("loadManifest: finding the manifest", () => {
  it("prefers spin.toml to wisp.toml in a folder", async () => {
    expect((await loadManifest(join(valid, "both-names"), APP_MANIFEST_EXTENSIONS)).name).toBe("from-spin-toml");
  });

  it("falls back to wisp.toml", async () => {
    const manifest = await loadManifest(join(valid, "wisp-only"), APP_MANIFEST_EXTENSIONS);
    expect(manifest.file).toBe(join(valid, "wisp-only", "wisp.toml"));
    expect(manifest.components.size).toBe(0);
    expect(manifest.triggers.get("http")).toEqual([]);
  });

  it("takes a path relative to the working folder, and makes it absolute", async () => {
    const manifest = await loadManifest(
      relative(process.cwd(), join(valid, "wisp-only", "wisp.toml")),
      APP_MANIFEST_EXTENSIONS,
    );
    expect(manifest.file).toBe(join(valid, "wisp-only", "wisp.toml"));
    expect(manifest.dir).toBe(join(valid, "wisp-only"));
  });

  it("a folder without a manifest: MANIFEST_NOT_FOUND, naming the folder, hinting wisp new and -f", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-empty-"));
    const error = await loadError(dir);
    expect(error.code).toBe("MANIFEST_NOT_FOUND");
    expect(error.message).toContain(dir);
    expect(error.hint).toContain("wisp new");
    expect(error.hint).toContain("-f");
  });

  it("a path that does not exist: MANIFEST_NOT_FOUND, naming it", async () => {
    const missing = join(tmpdir(), "wisp-no-such-dir", "spin.toml");
    const error = await loadError(missing);
    expect(error.code).toBe("MANIFEST_NOT_FOUND");
    expect(error.message).toContain(missing);
    expect(error.hint).toContain("-f");
  });

  it("reports a syntax error with its line and column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-syntax-"));
    writeFileSync(join(dir, "spin.toml"), 'spin_manifest_version = 2\n[application]\nname = "x\n');
    const error = await loadError(dir);
    expect(error.code).toBe("MANIFEST_SYNTAX");
    expect(error.message).toMatch(new RegExp(`^${join(dir, "spin.toml")}:3:\\d+: `));
  });
});
