import { afterEach, describe, expect, it } from "vitest";
import { HOST_CALLS } from "../../../src/capabilities/host-calls.js";
import { CAPABILITY_INTERFACES } from "../../../src/capabilities/interfaces.js";
import { APP_MANIFEST_EXTENSIONS } from "../../../src/app/load-app-manifest.js";
import { capabilityEntries } from "../../../src/capabilities/registry.js";
import { Fields } from "../../../src/engine/wasi-p2/http-fields.js";
import { OutgoingRequest } from "../../../src/engine/wasi-p2/index.js";
import { isWispError } from "../../../src/errors/wisp-error.js";
import { capabilityHarness, type CapabilityHarness } from "../../support/capability-harness.js";

/** A class a capability's imports export (a WIT resource), as the tests call it. */
type Opens<T> = { open(...args: unknown[]): T };

let harness: CapabilityHarness | undefined;
afterEach(() => harness?.close());
async function grant(component: string, options?: Parameters<typeof capabilityHarness>[1]): Promise<CapabilityHarness> {
  harness = await capabilityHarness(component, options);
  return harness;
}

/** What a call throws (a guest error is a thrown WIT variant). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error("it did not throw");
}

describe("the capability registry", () => {
  it("builds, for every capability, the imports of exactly the interfaces it declares", async () => {
    const app = await grant("");
    for (const [name, capability] of capabilityEntries) {
      const names = Object.keys(await app.imports(name)).sort();
      expect(names, name).toEqual(
        [
          ...Object.keys(capability.interfaces),
          ...Object.keys(capability.asyncInterfaces ?? {}),
          ...Object.keys(capability.wasiInterfaces ?? {}),
        ].sort(),
      );
    }
  });

  it("derives the served interfaces and the host calls from the capabilities", () => {
    expect(CAPABILITY_INTERFACES.size).toBe(
      capabilityEntries.reduce((n, [, c]) => n + Object.keys(c.interfaces).length, 0),
    );
    expect(CAPABILITY_INTERFACES.has("spin:postgres/postgres@4.0.0")).toBe(true);
    expect(CAPABILITY_INTERFACES.has("wasi:http/outgoing-handler")).toBe(false);
    const calls = capabilityEntries.flatMap(([, c]) => Object.keys(c.hostCalls ?? {}));
    expect(new Set(calls).size).toBe(calls.length);
    expect(Object.keys(HOST_CALLS).sort()).toEqual(calls.sort());
  });

  it("has the manifest check each capability's component keys as it loads, and suggest them for a misspelt key", async () => {
    const names = APP_MANIFEST_EXTENSIONS.componentKeys.map((key) => key.name);
    expect(names).toEqual(
      capabilityEntries.flatMap(([, c]) => c.manifestKeys.map((key: { name: string }) => key.name)),
    );
    expect(new Set(names).size).toBe(names.length);
    await expect(grant('key_value_store = ["default"]')).rejects.toMatchObject({
      message: expect.stringMatching(/spin\.toml:\d+: `component\.c\.key_value_store` is not a key Wisp knows here$/),
      hint: "did you mean `key_value_stores`?",
    });
    await expect(grant('sqlite_databases = "default"')).rejects.toThrow(
      /`component\.c\.sqlite_databases` must be a list, not a string/,
    );
    await expect(grant('[component.c.variables]\nBad-Name = "x"')).rejects.toMatchObject({
      message: expect.stringMatching(/`component\.c\.variables\.Bad-Name` is not a valid variable name/),
    });
  });

  it("grants nothing by default", async () => {
    const { grants } = await grant("");
    expect(grants).toMatchObject({
      variables: [],
      keyValue: [],
      sqlite: [],
      allowedOutboundHosts: [],
      outboundHttp: { componentId: "c" },
    });
  });
});

describe("capabilities built from a manifest snippet, without wasm", () => {
  it("variables: the component's own names, rendered from the app's, and nothing else", async () => {
    const app = await grant('variables = { greeting = "{{ word }}, world" }', {
      app: '[variables]\nword = { default = "hello" }',
    });
    expect(app.grants.variables).toEqual([["greeting", "hello, world"]]);
    const imports = await app.imports("variables");
    const spin = imports["fermyon:spin/variables"] as { get(name: string): string };
    expect(spin.get("greeting")).toBe("hello, world");
    expect(thrown(() => spin.get("word"))).toMatchObject({ tag: "undefined" });
    expect((imports["wasi:config/store"] as { get(name: string): string | undefined }).get("word")).toBeUndefined();
  });

  it("key-value: opens the granted labels, defined by the runtime config, and refuses others", async () => {
    const app = await grant('key_value_stores = ["default", "notes"]', {
      runtimeConfig: '[key_value_store.notes]\ntype = "spin"\npath = "notes.db"\n',
    });
    expect(app.grants.keyValue.map(([label]) => label)).toEqual(["default", "notes"]);
    const { Store } = (await app.imports("keyValue"))["fermyon:spin/key-value"] as {
      Store: Opens<{ set(k: string, v: Uint8Array): void; get(k: string): Uint8Array | undefined }>;
    };
    const notes = Store.open("notes");
    notes.set("a", new Uint8Array([1, 2]));
    expect(notes.get("a")).toEqual(new Uint8Array([1, 2]));
    expect(thrown(() => Store.open("other"))).toEqual({ tag: "access-denied" });
    const refusal = await capabilityHarness('key_value_stores = ["sessions"]').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isWispError(refusal) && refusal.code).toBe("GRANT_INVALID");
    expect((refusal as Error).message).toContain(
      'is granted key-value store "sessions", which no runtime config defines',
    );
  });

  it("sqlite: opens the granted database and runs statements; another is access-denied", async () => {
    const app = await grant('sqlite_databases = ["default"]');
    const { Connection } = (await app.imports("sqlite"))["spin:sqlite/sqlite"] as {
      Connection: Opens<{ execute(s: string, p: unknown[]): { columns: string[]; rows: unknown[] } }>;
    };
    const result = Connection.open("default").execute("SELECT 6 * 7 AS answer", []);
    expect(result).toEqual({ columns: ["answer"], rows: [{ values: [{ tag: "integer", val: 42n }] }] });
    expect(thrown(() => Connection.open("other"))).toEqual({ tag: "access-denied" });
  });

  it("outbound networking: templates rendered and patterns parsed at start; a malformed one refused", async () => {
    const app = await grant('allowed_outbound_hosts = ["http://127.0.0.1:{{ port }}", "self"]', {
      app: "[variables]\nport = { required = true }",
      variables: { port: "8080" },
    });
    expect(app.grants.allowedOutboundHosts).toEqual([{ scheme: "http", host: "127.0.0.1", port: "8080" }, "self"]);
    const refusal = await capabilityHarness('allowed_outbound_hosts = ["ftp//x"]').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((refusal as Error).message).toContain("component.c.allowed_outbound_hosts");
  });

  it("outbound networking: Spin 1's allowed_http_hosts, still read as Spin reads it, over http and https", async () => {
    const app = await grant('allowed_http_hosts = ["example.com", "localhost:3001"]');
    expect(app.grants.allowedOutboundHosts).toEqual([
      { scheme: "http", host: "example.com", port: "80" },
      { scheme: "https", host: "example.com", port: "443" },
      { scheme: "http", host: "localhost", port: "3001" },
      { scheme: "https", host: "localhost", port: "3001" },
    ]);
  });

  it("outbound HTTP: a request to a host not allowed is denied, and the log says what to add", async () => {
    const app = await grant('allowed_outbound_hosts = ["https://api.example.com"]');
    const handler = (await app.imports("outboundHttp"))["wasi:http/outgoing-handler"] as {
      handle(r: OutgoingRequest, o: undefined): unknown;
    };
    const request = new OutgoingRequest(new Fields());
    request.setScheme({ tag: "HTTP" });
    request.setAuthority("other.example:8080");
    expect(thrown(() => handler.handle(request, undefined))).toEqual({ tag: "HTTP-request-denied" });
    expect(app.log).toEqual([
      'wisp: denied an outbound request to http://other.example:8080: add "http://other.example:8080" to allowed_outbound_hosts of [component.c] to allow it',
    ]);
  });

  it("redis: opens an allowed address; another is denied with the interface's error", async () => {
    const app = await grant('allowed_outbound_hosts = ["redis://cache:6379"]');
    const { Connection } = (await app.imports("redis"))["fermyon:spin/redis"] as { Connection: Opens<unknown> };
    expect(Connection.open("redis://cache")).toBeDefined();
    expect(thrown(() => Connection.open("redis://other:6379"))).toEqual({
      tag: "other",
      val: "access denied: other:6379 is not in allowed_outbound_hosts",
    });
    expect(thrown(() => Connection.open("not a url"))).toEqual({ tag: "invalid-address" });
    expect(app.log).toEqual([
      'wisp: denied a Redis connection to other:6379: add "redis://other:6379" to allowed_outbound_hosts to allow it',
      "wisp: refused a Redis connection: it is not a URL",
    ]);
  });

  it("rdbms: PostgreSQL and MySQL open allowed addresses only", async () => {
    const app = await grant('allowed_outbound_hosts = ["postgres://db:5432"]');
    const imports = await app.imports("rdbms");
    const postgres = (imports["spin:postgres/postgres@4.0.0"] as { Connection: Opens<unknown> }).Connection;
    const mysql = (imports["fermyon:spin/mysql"] as { Connection: Opens<unknown> }).Connection;
    expect(postgres.open("postgres://db/app")).toBeDefined();
    expect(thrown(() => mysql.open("mysql://db/app"))).toEqual({
      tag: "connection-failed",
      val: "access denied: db:3306 is not in allowed_outbound_hosts",
    });
  });

  it("mqtt: opens an allowed broker; another is a connection failure", async () => {
    const app = await grant('allowed_outbound_hosts = ["mqtt://broker:1883"]');
    const { Connection } = (await app.imports("mqtt"))["fermyon:spin/mqtt"] as { Connection: Opens<unknown> };
    expect(Connection.open("mqtt://broker", "", "", 30n)).toBeDefined();
    expect(thrown(() => Connection.open("mqtt://other", "", "", 30n))).toEqual({
      tag: "connection-failed",
      val: "access denied: other:1883 is not in allowed_outbound_hosts",
    });
  });
});
