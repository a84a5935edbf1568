import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLE_ENTRIES } from "../../../../../src/bundle-entries.js";
import {
  DEFAULT_EXECUTOR,
  executorForBinary,
  executorForManifestType,
  executorRoute,
  HTTP_EXECUTORS,
} from "../../../../../src/triggers/http/executors/registry.js";
import { repoRoot } from "../../../../support/dist.js";

describe("the HTTP executor registry", () => {
  it("names each executor once, and each manifest type once", () => {
    const kinds = HTTP_EXECUTORS.map((e) => e.kind);
    const types = HTTP_EXECUTORS.flatMap((e) => e.manifest.types);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(new Set(types).size).toBe(types.length);
  });

  it("finds each executor's worker module in the source tree, and the bundle keeps it as a worker-thread entry", () => {
    for (const executor of HTTP_EXECUTORS) {
      expect(existsSync(join(repoRoot, "src", executor.workerModule.replace(/\.js$/, ".ts")))).toBe(true);
      expect(BUNDLE_ENTRIES).toContainEqual({ path: executor.workerModule, thread: "worker" });
    }
  });

  it("serves the manifest's types and `wisp up --from`'s binaries as before", () => {
    expect(DEFAULT_EXECUTOR.kind).toBe("wasi-http");
    expect(executorForManifestType("http")?.kind).toBe("wasi-http");
    expect(executorForManifestType("spin")?.kind).toBe("wasi-http");
    expect(executorForManifestType("wagi")?.kind).toBe("wagi");
    expect(executorForManifestType("cgi")).toBeUndefined();
    expect(executorForBinary("component").kind).toBe("wasi-http");
    expect(executorForBinary("module").kind).toBe("wagi");
  });

  it("gives a route its executor's settings, defaults filled in", () => {
    expect(executorRoute({ type: "http" })).toEqual({ kind: "wasi-http", config: {} });
    expect(executorRoute({ type: "wagi", argv: "x ${ARGS}" })).toEqual({
      kind: "wagi",
      config: { argv: "x ${ARGS}", entrypoint: "_start" },
    });
    expect(executorRoute({ type: "wagi", entrypoint: "" })).toEqual({
      kind: "wagi",
      config: { argv: "${SCRIPT_NAME} ${ARGS}", entrypoint: "_start" },
    });
  });
});

describe("the manifest's executor tables", () => {
  it("are the registered executors' tables, in the registry's order (the first is the default)", async () => {
    const { HTTP_TRIGGER_TABLE } = await import("../../../../../src/triggers/http/http-manifest.js");
    const { parseManifest } = await import("../../../../../src/manifest/index.js");
    const { APP_MANIFEST_EXTENSIONS } = await import("../../../../../src/app/load-app-manifest.js");
    expect(APP_MANIFEST_EXTENSIONS.triggerTables).toContain(HTTP_TRIGGER_TABLE);
    expect(HTTP_TRIGGER_TABLE.hints!.executor).toBe(
      `write ${HTTP_EXECUTORS.map((e, i) => `executor = { type = "${e.manifest.types[0]}" } (${i === 0 ? "the default, " : ""}${e.manifest.runs})`).join(" or ")}`,
    );
    // Every type of every executor's table is accepted, and no other.
    const manifest = (type: string) =>
      parseManifest(
        `spin_manifest_version = 2\n[application]\nname = "x"\n[[trigger.http]]\nroute = "/"\ncomponent = "c"\nexecutor = { type = "${type}" }\n[component.c]\nsource = "c.wasm"\n`,
        "/app/spin.toml",
        APP_MANIFEST_EXTENSIONS,
      );
    for (const type of HTTP_EXECUTORS.flatMap((e) => e.manifest.types)) expect(() => manifest(type)).not.toThrow();
    expect(() => manifest("wasi-http-0.3")).toThrow(/executor` must be/);
  });
});
