import { describe, expect, it } from "vitest";
import { WispError } from "../../../../../src/errors/wisp-error.js";
import type { HttpTarget } from "../../../../../src/triggers/http/http-target.js";
import { RouteTable } from "../../../../../src/triggers/http/routing/index.js";

/** A target tagged with a name, so a test can tell which route won. */
function target(name: string): HttpTarget {
  return { kind: "static", status: 200, headers: [["x-route", name]], body: new Uint8Array() };
}

function nameOf(t: HttpTarget): string {
  return t.kind === "static" ? t.headers[0]![1] : t.componentId;
}

/** Each route's target is named after the route itself. */
function table(...routes: string[]): RouteTable {
  return RouteTable.build(routes.map((route) => ({ route, target: target(route) })));
}

function winner(t: RouteTable, path: string): string | undefined {
  const hit = t.match(path);
  return hit && nameOf(hit.target);
}

describe("RouteTable: which route serves a path", () => {
  it.each([
    // exact routes
    [["/hello"], "/hello", "/hello"],
    [["/hello"], "/hello/x", undefined],
    [["/hello"], "/hell", undefined],
    [["/hello"], "/helloo", undefined],
    [["/hello"], "/Hello", undefined],
    [["/a/b"], "/a//b", undefined],
    // trailing and leading slashes of the path do not count; inner ones do
    [["/hello"], "/hello/", "/hello"],
    [["/hello"], "/hello//", "/hello"],
    [["/hello"], "//hello", "/hello"],
    [["/hello/"], "/hello", "/hello/"],
    [["hello"], "/hello", "hello"],
    [["/"], "/", "/"],
    [["/"], "/x", undefined],
    // wildcards match their prefix and what is below it, on segment boundaries
    [["/api/..."], "/api", "/api/..."],
    [["/api/..."], "/api/", "/api/..."],
    [["/api/..."], "/api/x/y", "/api/..."],
    [["/api/..."], "/apix", undefined],
    [["/api/..."], "/ap", undefined],
    [["/api/*"], "/api/x", "/api/*"],
    [["/..."], "/", "/..."],
    [["/..."], "/any/thing/at/all/", "/..."],
    // params take one segment
    [["/users/:id"], "/users/42", "/users/:id"],
    [["/users/:id"], "/users", undefined],
    [["/users/:id"], "/users/42/x", undefined],
    // precedence: exact over wildcard, longer prefix over shorter, literal over param
    [["/a/...", "/a/b"], "/a/b", "/a/b"],
    [["/a/b", "/a/..."], "/a/b", "/a/b"],
    [["/a/b", "/a/..."], "/a/c", "/a/..."],
    [["/...", "/a/..."], "/a/x", "/a/..."],
    [["/a/...", "/..."], "/b", "/..."],
    [["/a/...", "/a/b/..."], "/a/b/c", "/a/b/..."],
    [["/a/b/...", "/a/..."], "/a/bc", "/a/..."],
    [["/a/...", "/a"], "/a", "/a"],
    [["/...", "/"], "/", "/"],
    [["/users/:id", "/users/me"], "/users/me", "/users/me"],
    [["/users/me", "/users/:id"], "/users/you", "/users/:id"],
    [["/:x/...", "/a/:y"], "/a/b", "/a/:y"],
    [["/a/:x", "/a/b/..."], "/a/b", "/a/b/..."],
    // equally specific routes: the earlier one wins
    [["/:x", "/:y"], "/v", "/:x"],
    [["/a", "/a/"], "/a", "/a"],
    [["/a/", "/a"], "/a", "/a/"],
  ] as Array<[string[], string, string | undefined]>)("%j: %s → %s", (routes, path, expected) => {
    expect(winner(table(...routes), path)).toBe(expected);
  });

  it("answers undefined when nothing matches", () => {
    const t = table("/a", "/b/...", "/c/:id");
    for (const path of ["/", "/x", "/c", "/c/1/2", "/bb", "/a/b"]) expect(t.match(path)).toBeUndefined();
    expect(RouteTable.build([]).match("/")).toBeUndefined();
  });

  it("matches the raw path: percent-encoding is not decoded", () => {
    const t = table("/a b", "/a%20b", "/x/...");
    expect(winner(t, "/a%20b")).toBe("/a%20b");
    expect(winner(t, "/x%2Fy")).toBeUndefined();
    expect(t.match("/x/%2F%20")?.pathInfo).toBe("/%2F%20");
  });
});

describe("RouteTable: the values of a hit (Spin's spin-* headers)", () => {
  const routes = table(
    "/",
    "/hello",
    "/hello-slash/",
    "/api/...",
    "/...",
    "/users/:id/posts/:post",
    "/u/:id/...",
    "/static/*",
  );

  it.each([
    // path, matchedRoute, rawComponentRoute, componentRoute, pathInfo, params
    ["/api/x/y", "/api/...", "/api/...", "/api", "/x/y", {}],
    ["/api", "/api/...", "/api/...", "/api", "", {}],
    ["/api/", "/api/...", "/api/...", "/api", "/", {}],
    ["/api/x/", "/api/...", "/api/...", "/api", "/x/", {}],
    ["/api//x", "/api/...", "/api/...", "/api", "//x", {}],
    ["/env/api", "/...", "/...", "", "/env/api", {}],
    ["/hello/x", "/...", "/...", "", "/hello/x", {}],
    ["/hello", "/hello", "/hello", "/hello", "", {}],
    ["/hello/", "/hello", "/hello", "/hello", "", {}],
    ["/hello-slash", "/hello-slash", "/hello-slash/", "/hello-slash/", "", {}],
    ["/", "", "/", "/", "", {}],
    [
      "/users/42/posts/7",
      "/users/:id/posts/:post",
      "/users/:id/posts/:post",
      "/users/:id/posts/:post",
      "",
      { id: "42", post: "7" },
    ],
    ["/u/7/a/b", "/u/:id/...", "/u/:id/...", "/u/:id", "/a/b", { id: "7" }],
    ["/static/css/x.css", "/static/*", "/static/*", "/static/*", "/css/x.css", {}],
  ] as Array<[string, string, string, string, string, Record<string, string>]>)(
    "%s",
    (path, matchedRoute, rawComponentRoute, componentRoute, pathInfo, params) => {
      const hit = routes.match(path)!;
      expect({ ...hit, params: { ...hit.params } }).toEqual({
        target: target(rawComponentRoute),
        matchedRoute,
        rawComponentRoute,
        componentRoute,
        pathInfo,
        params,
      });
    },
  );

  it("keeps the last capture of a repeated param name, and any name as a plain key", () => {
    expect(table("/:x/:x").match("/1/2")?.params).toEqual({ x: "2" });
    const params = table("/:__proto__").match("/evil")!.params;
    expect(Object.keys(params)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
  });

  it("gives the same frozen hit for every request to an exact route", () => {
    const first = routes.match("/hello");
    expect(routes.match("/hello/")).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first!.params)).toBe(true);
  });
});

describe("RouteTable: duplicates", () => {
  it("uses the last definition of a route string, as Spin does, and reports the ones replaced", () => {
    const t = RouteTable.build([
      { route: "/a", target: target("a1") },
      { route: "/w/...", target: target("w1") },
      { route: "/a", target: target("a2") },
      { route: "/w/...", target: target("w2") },
      { route: "/a", target: target("a3") },
    ]);
    expect(winner(t, "/a")).toBe("a3");
    expect(winner(t, "/w/x")).toBe("w2");
    expect(t.duplicates.map((d) => [d.route, nameOf(d.target), nameOf(d.effectiveTarget)])).toEqual([
      ["/a", "a1", "a2"],
      ["/w/...", "w1", "w2"],
      ["/a", "a2", "a3"],
    ]);
  });

  it("reports routes as Spin prints them, and keeps the replaced route's place in the order", () => {
    const t = RouteTable.build([
      { route: "/", target: target("root1") },
      { route: "/x/", target: target("x1") },
      { route: "/:p", target: target("p") },
      { route: "/", target: target("root2") },
      { route: "/x/", target: target("x2") },
      { route: "/:q", target: target("q") },
      { route: "/:p", target: target("p2") },
    ]);
    expect(t.duplicates.map((d) => d.route)).toEqual(["/", "/x", "/:p"]);
    // `/:p` was first among the tied params: its replacement keeps that place and beats `/:q`.
    expect(winner(t, "/v")).toBe("p2");
  });

  it("does not treat different spellings of a route as duplicates", () => {
    const t = table("/a", "/a/", "a", "/...", "/*");
    expect(t.duplicates).toEqual([]);
    expect(winner(t, "/a")).toBe("/a");
    expect(winner(t, "/b")).toBe("/...");
  });
});

describe("RouteTable: routes Spin refuses", () => {
  it.each([
    ["/files/*name", /one wildcard/],
    ["/users/:", /params must be named/],
    ["/a/*/b", /wildcard must be the last/],
  ])("%s", (route, message) => {
    // Only the fields the route table reads: it names the component in its error.
    const component = { kind: "component", componentId: "app" } as HttpTarget;
    const build = () => RouteTable.build([{ route, target: component }]);
    expect(build).toThrow(WispError);
    expect(build).toThrow(message);
    expect(build).toThrow(/component app/);
  });
});
