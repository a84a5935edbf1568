import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { APP_MANIFEST_EXTENSIONS } from "../../../src/app/load-app-manifest.js";
import { parseAllowedHost } from "../../../src/capabilities/outbound-networking/allowed-hosts.js";
import { CAPABILITIES } from "../../../src/capabilities/registry.js";
import { loadManifest } from "../../../src/manifest/index.js";
import { planRoutes } from "../../../src/triggers/http/http-plan.js";
import { repoRoot } from "../../support/dist.js";

const file = join(repoRoot, "test/fixtures/manifests/valid/version-1.toml");

describe("a Spin version 1 manifest, read as Spin converts it to version 2", async () => {
  const manifest = await loadManifest(file, APP_MANIFEST_EXTENSIONS);

  it("keeps the app's details and variables", () => {
    expect(manifest).toMatchObject({ name: "spin-hello", version: "1.0.0", description: "a version 1 app" });
    expect(manifest.variables.get("greeting")).toEqual({ default: "hello", required: false, secret: false });
  });

  it("gives each component a version 2 id, its config as variables, and its other keys as they were", () => {
    expect([...manifest.components.keys()]).toEqual(["hello-world", "cgi"]);
    const hello = manifest.components.get("hello-world")!;
    expect(hello.source).toEqual({ kind: "path", path: join(repoRoot, "test/fixtures/manifests/valid/hello.wasm") });
    expect(hello.environment).toEqual([["MODE", "v1"]]);
    expect(hello.files).toEqual([{ kind: "glob", pattern: "static/**/*" }]);
    expect(hello.excludeFiles).toEqual(["static/*.map"]);
    expect(hello.build).toEqual({ command: "make" });
    expect(hello.capabilityKeys).toMatchObject({
      variables: { message: "{{ greeting }}, world" },
      key_value_stores: ["default"],
      sqlite_databases: ["default"],
    });
  });

  it("grants allowed_http_hosts as Spin converts them, databases allowed unless it lists its own hosts", () => {
    const granted = (id: string) => {
      const component = manifest.components.get(id)!;
      const app = { manifestFile: file, appDir: repoRoot, config: undefined };
      return CAPABILITIES.allowedOutboundHosts.grant!(component, app, component.capabilityKeys);
    };
    const parsed = (patterns: string[]) => patterns.map((pattern) => parseAllowedHost(pattern));
    expect(granted("hello-world")).toEqual(
      parsed([
        "redis://*:*",
        "mysql://*:*",
        "postgres://*:*",
        "http://example.com",
        "https://example.com",
        "http://localhost:3001",
        "https://localhost:3001",
        "http://api.example.com",
        "https://api.example.com",
        "http://self",
      ]),
    );
    expect(granted("cgi")).toEqual(parsed(["redis://cache:6379", "http://*:*", "https://*:*", "http://self"]));
  });

  it("routes each component under the trigger's base, with its executor", () => {
    const entries = manifest.triggers.get("http")!;
    expect(entries.map((t) => [t.id, t.componentId])).toEqual([
      ["trigger-hello-world", "hello-world"],
      ["trigger-cgi", "cgi"],
    ]);
    expect(planRoutes(entries)).toEqual([
      {
        route: "/api/hello/...",
        kind: "component",
        componentId: "hello-world",
        executor: { kind: "wasi-http", config: {} },
      },
      {
        route: "/api/cgi",
        kind: "component",
        componentId: "cgi",
        executor: { kind: "wagi", config: { argv: "${SCRIPT_NAME} -v", entrypoint: "_start" } },
      },
    ]);
  });
});
