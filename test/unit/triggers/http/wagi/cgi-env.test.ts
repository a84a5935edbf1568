import { describe, expect, it } from "vitest";
import { cgiArgv, cgiEnvironment } from "../../../../../src/triggers/http/executors/wagi/cgi-env.js";
import type { RoutedRequest } from "../../../../../src/triggers/http/request-info.js";

const request: RoutedRequest = {
  method: "POST",
  pathWithQuery: "/hello/abc/def?foo=bar&x=a%20b",
  path: "/hello/abc/def",
  query: "foo=bar&x=a%20b",
  scheme: "http",
  authority: "localhost:3000",
  headers: [
    ["content-type", "text/plain"],
    ["content-length", "3"],
    ["x-a", "1"],
    ["x-a", "2"],
    ["authorization", "secret"],
  ],
  clientAddr: "127.0.0.1:5555",
  selfOrigin: "http://127.0.0.1:3000",
  route: { raw: "/hello/...", componentRoute: "/hello", matched: "/hello/...", pathInfo: "/abc/def", params: {} },
};

describe("cgiEnvironment", () => {
  it("sets the CGI variables and Spin's X_* routing variables", () => {
    const env = new Map(
      cgiEnvironment(request, [
        ["FROM_MANIFEST", "yes"],
        ["PATH_INFO", "overridden"],
      ]),
    );
    expect(env.get("REQUEST_METHOD")).toBe("POST");
    expect(env.get("QUERY_STRING")).toBe("foo=bar&x=a%20b");
    expect(env.get("PATH_INFO")).toBe("/abc/def");
    expect(env.get("SCRIPT_NAME")).toBe("/hello");
    expect(env.get("SERVER_NAME")).toBe("localhost");
    expect(env.get("SERVER_PORT")).toBe("3000");
    expect(env.get("CONTENT_LENGTH")).toBe("3");
    expect(env.get("CONTENT_TYPE")).toBe("text/plain");
    expect(env.get("REMOTE_ADDR")).toBe("127.0.0.1");
    expect(env.get("X_FULL_URL")).toBe("http://localhost:3000/hello/abc/def?foo=bar&x=a%20b");
    expect(env.get("X_MATCHED_ROUTE")).toBe("/hello/...");
    expect(env.get("X_RAW_COMPONENT_ROUTE")).toBe("/hello/...");
    expect(env.get("X_COMPONENT_ROUTE")).toBe("/hello");
    expect(env.get("FROM_MANIFEST")).toBe("yes");
  });

  it("passes headers as HTTP_*, joining repeats, but never Authorization", () => {
    const env = new Map(cgiEnvironment(request, []));
    expect(env.get("HTTP_X_A")).toBe("1,2");
    expect(env.get("HTTP_CONTENT_TYPE")).toBe("text/plain");
    expect(env.has("HTTP_AUTHORIZATION")).toBe(false);
  });

  it("never makes HTTP_PROXY from a request's Proxy header (httpoxy), but keeps the manifest's", () => {
    const proxied: RoutedRequest = {
      ...request,
      headers: [
        ["proxy", "http://attacker:8080"],
        ["x-b", "1"],
      ],
    };
    const env = new Map(cgiEnvironment(proxied, []));
    expect(env.has("HTTP_PROXY")).toBe(false);
    expect(env.get("HTTP_X_B")).toBe("1");
    expect([...env.values()]).not.toContain("http://attacker:8080");
    const kept = new Map(cgiEnvironment(proxied, [["HTTP_PROXY", "http://from-manifest:3128"]]));
    expect(kept.get("HTTP_PROXY")).toBe("http://from-manifest:3128");
  });
});

describe("cgiArgv", () => {
  it("expands Spin's default template to the script name and the decoded query parts", () => {
    expect(cgiArgv("${SCRIPT_NAME} ${ARGS}", request)).toEqual(["/hello", "foo=bar", "x=a b"]);
    expect(cgiArgv("prog --flag", request)).toEqual(["prog", "--flag"]);
  });
});
