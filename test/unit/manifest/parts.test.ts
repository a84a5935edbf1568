import { describe, expect, it } from "vitest";
import { componentIdProblem, idLike, variableNameProblem } from "../../../src/manifest/ids.js";
import { parseDuration, parseSize } from "../../../src/manifest/sizes.js";
import { keyPath, lineOf } from "../../../src/manifest/source-lines.js";
import { nearest } from "../../../src/manifest/suggest.js";

describe("sizes", () => {
  it.each<[string | number, number]>([
    ["16MiB", 16 * 1024 ** 2],
    ["1KiB", 1024],
    ["200MB", 200e6],
    ["512", 512],
    [512, 512],
    ["1.5GiB", 1.5 * 1024 ** 3],
    ["64 mib", 64 * 1024 ** 2],
    ["10kb", 10_000],
    ["3B", 3],
  ])("%s is %d bytes", (text, bytes) => expect(parseSize(text)).toBe(bytes));

  it.each<[string | number]>([["lots"], ["0"], [0], [-1], [1.5], ["12XB"], [""], ["MiB"]])(
    "%s is not a size",
    (text) => {
      expect(parseSize(text)).toBeUndefined();
    },
  );
});

describe("durations", () => {
  it.each<[string | number, number]>([
    ["500ms", 500],
    ["30s", 30_000],
    ["2m", 120_000],
    ["1.5s", 1500],
    ["250", 250],
    [250, 250],
  ])("%s is %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each<[string | number]>([["soon"], ["0s"], [0], [-5], ["5h"], ["s"]])("%s is not a duration", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("Spin's ids", () => {
  it.each(["hello", "api-v2", "a1-b2-c3", "API-gateway", "x"])("component id %s is valid", (id) => {
    expect(componentIdProblem(id)).toBeUndefined();
  });

  it.each([
    ["", "empty"],
    ["my_web", 'not "_"'],
    ["-web", "empty word"],
    ["web-", "empty word"],
    ["a--b", "empty word"],
    ["2fast", "start with a letter"],
    ["web-2", "start with a letter"],
    ["Web", "all lowercase or all UPPERCASE"],
    ["web server", "only letters and digits"],
  ])("component id %j is not: %s", (id, why) => expect(componentIdProblem(id)).toContain(why));

  it.each(["api_token", "x", "db_url2"])("variable name %s is valid", (name) =>
    expect(variableNameProblem(name)).toBeUndefined(),
  );

  it.each([
    ["API_TOKEN", "lowercase"],
    ["api-token", 'not "-"'],
    ["_x", "empty word"],
    ["apiToken", "all lowercase or all UPPERCASE"],
  ])("variable name %j is not: %s", (name, why) => expect(variableNameProblem(name)).toContain(why));

  it("suggests a valid id", () => {
    expect(idLike("Web Server", "-")).toBe("web-server");
    expect(idLike("apiToken", "_")).toBe("api_token");
    expect(idLike("my_web", "-")).toBe("my-web");
    expect(componentIdProblem(idLike("2 fast", "-"))).toBeUndefined();
  });
});

describe("nearest", () => {
  const keys = ["source", "files", "environment", "allowed_outbound_hosts", "key_value_stores"];
  it.each([
    ["enviroment", "environment"],
    ["allowed_outbound_host", "allowed_outbound_hosts"],
    ["allowed-outbound-hosts", "allowed_outbound_hosts"],
    ["sourc", "source"],
    ["Files", "files"],
    ["key_value_store", "key_value_stores"],
  ])("%s -> %s", (word, expected) => expect(nearest(word, keys)).toBe(expected));

  it("suggests nothing when nothing is close", () => {
    expect(nearest("banana", keys)).toBeUndefined();
    expect(nearest("x", [])).toBeUndefined();
  });
});

describe("lines and key paths", () => {
  const text = [
    "spin_manifest_version = 2", //  1
    "[application]", //              2
    'name = "demo"', //              3
    "[[trigger.http]]", //           4
    'route = "/a"', //               5
    "[[trigger.http]]", //           6
    'route = "/b"', //               7
    'executor = { type = "wagi", argv = "x" }', // 8
    '[component."my web"]', //       9
    'source = { url = "u", digest = "d" }', // 10
    "[component.web.tool.wisp] # limits", // 11
    'max_memory = "x"', //           12
  ].join("\n");

  it.each<[Array<string | number>, number | undefined]>([
    [["spin_manifest_version"], 1],
    [["application", "name"], 3],
    [["application", "version"], 2], // missing: its table's header
    [["trigger", "http", 1, "route"], 7],
    [["trigger", "http", 1, "executor", "argv"], 8],
    [["trigger", "http", 0], 4],
    [["component", "my web", "source", "digest"], 10],
    [["component", "web", "tool", "wisp", "max_memory"], 12],
    [["nowhere"], undefined],
  ])("%j is on line %s", (path, line) => expect(lineOf(text, path)).toBe(line));

  it("writes key paths in TOML terms", () => {
    expect(keyPath(["component", "hello", "source"])).toBe("component.hello.source");
    expect(keyPath(["trigger", "http", 2, "route"])).toBe("trigger.http[2].route");
    expect(keyPath(["component", "Web Server"])).toBe('component."Web Server"');
  });
});
