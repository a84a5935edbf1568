import { describe, expect, it } from "vitest";
import type { HttpTarget } from "../../../../../src/triggers/http/http-target.js";
import { RouteTable } from "../../../../../src/triggers/http/routing/index.js";

/** A target tagged with its route, so a test can tell which route won. */
function target(name: string): HttpTarget {
  return { kind: "static", status: 200, headers: [["x-route", name]], body: new Uint8Array() };
}

function table(...routes: string[]) {
  return RouteTable.build(routes.map((route) => ({ route, target: target(route) })));
}

function winner(t: RouteTable, path: string): string | undefined {
  const hit = t.match(path);
  return hit && hit.target.kind === "static" ? hit.target.headers[0]![1] : undefined;
}

describe("RouteTable (Spin's routing)", () => {
  const routes = table("/...", "/api/...", "/api/users/...", "/api/users/admin", "/hello", "/users/:id", "/users/:id/posts/:post", "/users/me");

  it.each([
    ["/hello", "/hello"],
    ["/hello/", "/hello"],
    ["/hello/x", "/..."],
    ["/api", "/api/..."],
    ["/api/", "/api/..."],
    ["/api/other", "/api/..."],
    ["/apix", "/..."],
    ["/api/users", "/api/users/..."],
    ["/api/users/admin", "/api/users/admin"],
    ["/api/users/admin/x", "/api/users/..."],
    ["/users/42", "/users/:id"],
    ["/users/me", "/users/me"],
    ["/users/42/posts/7", "/users/:id/posts/:post"],
    ["/", "/..."],
    ["/anything/at/all", "/..."],
  ])("%s is served by %s", (path, expected) => {
    expect(winner(routes, path)).toBe(expected);
  });

  it("reports Spin's route values for a wildcard", () => {
    expect(routes.match("/api/x/y")).toMatchObject({
      matchedRoute: "/api/...", rawComponentRoute: "/api/...", componentRoute: "/api", pathInfo: "/x/y", params: {},
    });
    expect(routes.match("/env/api")).toMatchObject({ matchedRoute: "/...", componentRoute: "", pathInfo: "/env/api" });
    expect(routes.match("/api")).toMatchObject({ pathInfo: "" });
  });

  it("captures :name segments and gives exact routes no path info", () => {
    expect(routes.match("/users/42/posts/7")).toMatchObject({ params: { id: "42", post: "7" }, pathInfo: "", componentRoute: "/users/:id/posts/:post" });
    expect(routes.match("/hello")).toMatchObject({ pathInfo: "", componentRoute: "/hello", params: {} });
  });

  it("answers nothing when no route matches", () => {
    const narrow = table("/a", "/b/...");
    expect(narrow.match("/c")).toBeUndefined();
    expect(narrow.match("/")).toBeUndefined();
    expect(winner(narrow, "/b/c")).toBe("/b/...");
  });

  it("keeps the last of duplicated routes, as Spin does, and reports the ones it replaced", () => {
    const t = RouteTable.build([
      { route: "/a", target: target("first") },
      { route: "/a/", target: target("second") },
      { route: "/w/...", target: target("w1") },
      { route: "/w/...", target: target("w2") },
    ]);
    expect(winner(t, "/a")).toBe("second");
    expect(winner(t, "/w/x")).toBe("w2");
    expect(t.duplicates.map((d) => [d.route, d.target.kind === "static" && d.target.headers[0]![1]])).toEqual([["/a", "first"], ["/w/...", "w1"]]);
  });
});
