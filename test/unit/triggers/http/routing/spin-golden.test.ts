import { describe, expect, it } from "vitest";
import type { HttpTarget } from "../../../../../src/triggers/http/http-target.js";
import { RouteTable } from "../../../../../src/triggers/http/routing/index.js";

/**
 * Expected answers produced by Spin's own routing code, not written by hand: spin-http-routes'
 * `Router::build`/`route`/`trailing_wildcard` (v3.x, crates/routes/src/lib.rs) over the routefinder
 * 0.5.4 crate, compiled and run on these routes and paths. A case is
 * [path, null] when Spin answers 404, else
 * [path, [index of the winning route, spin-matched-route, spin-raw-component-route,
 *         spin-component-route, spin-path-info, spin-path-match-* params]].
 * A duplicate is [route as Spin reports it, index replaced, index that replaced it].
 */
type Expected = [number, string, string, string, string, Record<string, string>] | null;
interface GoldenTable {
  note?: string;
  routes: string[];
  duplicates: Array<[string, number, number]>;
  cases: Array<[string, Expected]>;
}

const CURATED: GoldenTable[] = [
  {
    note: "a typical app",
    routes: [
      "/hello",
      "/api/...",
      "/api/users/...",
      "/api/users/admin",
      "/users/:id",
      "/users/me",
      "/users/:id/posts/:post",
      "/files/:name.json",
      "/...",
    ],
    duplicates: [],
    cases: [
      ["/hello", [0, "/hello", "/hello", "/hello", "", {}]],
      ["/hello/", [0, "/hello", "/hello", "/hello", "", {}]],
      ["//hello", [0, "/hello", "/hello", "/hello", "", {}]],
      ["/hello/x", [8, "/...", "/...", "", "/hello/x", {}]],
      ["/api", [1, "/api/...", "/api/...", "/api", "", {}]],
      ["/api/", [1, "/api/...", "/api/...", "/api", "/", {}]],
      ["/api/x/y", [1, "/api/...", "/api/...", "/api", "/x/y", {}]],
      ["/api/x/y/", [1, "/api/...", "/api/...", "/api", "/x/y/", {}]],
      ["/api/x//", [1, "/api/...", "/api/...", "/api", "/x/", {}]],
      ["/apix", [8, "/...", "/...", "", "/apix", {}]],
      ["/api//x", [1, "/api/...", "/api/...", "/api", "//x", {}]],
      ["/api/users", [2, "/api/users/...", "/api/users/...", "/api/users", "", {}]],
      ["/api/users/admin", [3, "/api/users/admin", "/api/users/admin", "/api/users/admin", "", {}]],
      ["/api/users/admin/", [3, "/api/users/admin", "/api/users/admin", "/api/users/admin", "", {}]],
      ["/api/users/admin/x", [2, "/api/users/...", "/api/users/...", "/api/users", "/admin/x", {}]],
      ["/users/42", [4, "/users/:id", "/users/:id", "/users/:id", "", { id: "42" }]],
      ["/users/me", [5, "/users/me", "/users/me", "/users/me", "", {}]],
      ["/users/42/", [4, "/users/:id", "/users/:id", "/users/:id", "", { id: "42" }]],
      [
        "/users/42/posts/7",
        [6, "/users/:id/posts/:post", "/users/:id/posts/:post", "/users/:id/posts/:post", "", { id: "42", post: "7" }],
      ],
      ["/users/42/posts", [8, "/...", "/...", "", "/users/42/posts", {}]],
      [
        "/users//posts/7",
        [6, "/users/:id/posts/:post", "/users/:id/posts/:post", "/users/:id/posts/:post", "", { id: "", post: "7" }],
      ],
      [
        "/files/report.json",
        [7, "/files/:name.json", "/files/:name.json", "/files/:name.json", "", { name: "report" }],
      ],
      ["/files/report.txt", [8, "/...", "/...", "", "/files/report.txt", {}]],
      ["/files/a.b.json", [8, "/...", "/...", "", "/files/a.b.json", {}]],
      ["/", [8, "/...", "/...", "", "/", {}]],
      ["/a%20b", [8, "/...", "/...", "", "/a%20b", {}]],
      ["/hello%2Fworld", [8, "/...", "/...", "", "/hello%2Fworld", {}]],
      ["/HELLO", [8, "/...", "/...", "", "/HELLO", {}]],
      ["/hello/../x", [8, "/...", "/...", "", "/hello/../x", {}]],
    ],
  },
  {
    note: "the root, trailing slashes, a route without leading slash, /* and a param before a wildcard",
    routes: ["/", "/foo/", "foo/bar", "/static/*", "/a/:x/...", "/a/b/..."],
    duplicates: [],
    cases: [
      ["/", [0, "", "/", "/", "", {}]],
      ["//", [0, "", "/", "/", "", {}]],
      ["/foo", [1, "/foo", "/foo/", "/foo/", "", {}]],
      ["/foo/", [1, "/foo", "/foo/", "/foo/", "", {}]],
      ["/foo/bar", [2, "/foo/bar", "foo/bar", "foo/bar", "", {}]],
      ["/foo/bar/", [2, "/foo/bar", "foo/bar", "foo/bar", "", {}]],
      ["/static", [3, "/static/*", "/static/*", "/static/*", "", {}]],
      ["/static/", [3, "/static/*", "/static/*", "/static/*", "/", {}]],
      ["/static/css/site.css", [3, "/static/*", "/static/*", "/static/*", "/css/site.css", {}]],
      ["/a/b", [5, "/a/b/...", "/a/b/...", "/a/b", "", {}]],
      ["/a/b/c", [5, "/a/b/...", "/a/b/...", "/a/b", "/c", {}]],
      ["/a/c", [4, "/a/:x/...", "/a/:x/...", "/a/:x", "", { x: "c" }]],
      ["/a/c/d/", [4, "/a/:x/...", "/a/:x/...", "/a/:x", "/d/", { x: "c" }]],
      ["/a", null],
      ["/x", null],
    ],
  },
  {
    note: "no catch-all",
    routes: ["/a", "/b/..."],
    duplicates: [],
    cases: [
      ["/", null],
      ["/c", null],
      ["/a/b", null],
      ["/b", [1, "/b/...", "/b/...", "/b", "", {}]],
      ["/bb", null],
      ["/b/c", [1, "/b/...", "/b/...", "/b", "/c", {}]],
    ],
  },
  {
    note: "duplicates: the same string again replaces the earlier one; /a and /a/ are different strings",
    routes: ["/a", "/a/", "/w/...", "/a", "/w/...", "/", "/", "/..."],
    duplicates: [
      ["/a", 0, 3],
      ["/w/...", 2, 4],
      ["/", 5, 6],
    ],
    cases: [
      ["/a", [3, "/a", "/a", "/a", "", {}]],
      ["/w/x", [4, "/w/...", "/w/...", "/w", "/x", {}]],
      ["/", [6, "", "/", "/", "", {}]],
      ["/z", [7, "/...", "/...", "", "/z", {}]],
    ],
  },
  {
    note: "params: a repeated name keeps the last capture",
    routes: ["/:x/:x", "/p/:a/:b/...", "/:only"],
    duplicates: [],
    cases: [
      ["/1/2", [0, "/:x/:x", "/:x/:x", "/:x/:x", "", { x: "2" }]],
      ["/p/1/2/3/4", [1, "/p/:a/:b/...", "/p/:a/:b/...", "/p/:a/:b", "/3/4", { a: "1", b: "2" }]],
      ["/p/1/2", [1, "/p/:a/:b/...", "/p/:a/:b/...", "/p/:a/:b", "", { a: "1", b: "2" }]],
      ["/p/1", [0, "/:x/:x", "/:x/:x", "/:x/:x", "", { x: "1" }]],
      ["/solo", [2, "/:only", "/:only", "/:only", "", { only: "solo" }]],
      ["/1/2/3", null],
    ],
  },
  {
    note: "Spin's longest-match test",
    routes: ["/one/...", "/one/two/...", "/one/two/three/..."],
    duplicates: [],
    cases: [
      ["/one/two/three/four", [2, "/one/two/three/...", "/one/two/three/...", "/one/two/three", "/four", {}]],
      ["/one/two/x", [1, "/one/two/...", "/one/two/...", "/one/two", "/x", {}]],
      ["/one", [0, "/one/...", "/one/...", "/one", "", {}]],
      ["/one/twothree", [0, "/one/...", "/one/...", "/one", "/twothree", {}]],
    ],
  },
  {
    note: "Spin's longest-match test, reversed",
    routes: ["/one/two/three/...", "/one/two/...", "/one/..."],
    duplicates: [],
    cases: [
      ["/one/two/three/four", [0, "/one/two/three/...", "/one/two/three/...", "/one/two/three", "/four", {}]],
      ["/one/two/x", [1, "/one/two/...", "/one/two/...", "/one/two", "/x", {}]],
      ["/one", [2, "/one/...", "/one/...", "/one", "", {}]],
    ],
  },
  {
    note: "a literal next to a param, a wildcard next to a param",
    routes: ["/a/:x", "/a/b/...", "/:y/b"],
    duplicates: [],
    cases: [
      ["/a/b", [1, "/a/b/...", "/a/b/...", "/a/b", "", {}]],
      ["/a/c", [0, "/a/:x", "/a/:x", "/a/:x", "", { x: "c" }]],
      ["/c/b", [2, "/:y/b", "/:y/b", "/:y/b", "", { y: "c" }]],
      ["/a/b/c", [1, "/a/b/...", "/a/b/...", "/a/b", "/c", {}]],
    ],
  },
  {
    note: "dots",
    routes: ["/:name.:ext", "/.well-known/x", "/v1.2/...", "/:file.json"],
    duplicates: [],
    cases: [
      ["/a.b", [0, "/:name.:ext", "/:name.:ext", "/:name.:ext", "", { ext: "b", name: "a" }]],
      ["/a.b.c", [0, "/:name.:ext", "/:name.:ext", "/:name.:ext", "", { ext: "b.c", name: "a" }]],
      ["/report.json", [3, "/:file.json", "/:file.json", "/:file.json", "", { file: "report" }]],
      ["/.well-known/x", [1, "/.well-known/x", "/.well-known/x", "/.well-known/x", "", {}]],
      ["/v1.2/z", [2, "/v1.2/...", "/v1.2/...", "/v1.2", "/z", {}]],
      ["/v1.2", [2, "/v1.2/...", "/v1.2/...", "/v1.2", "", {}]],
      ["/v1x2", null],
      ["/noext", null],
    ],
  },
  {
    note: "the catch-all alone",
    routes: ["/..."],
    duplicates: [],
    cases: [
      ["/", [0, "/...", "/...", "", "/", {}]],
      ["/1/2/3", [0, "/...", "/...", "", "/1/2/3", {}]],
      ["/1/2/3/", [0, "/...", "/...", "", "/1/2/3/", {}]],
      ["/a%2Fb?", [0, "/...", "/...", "", "/a%2Fb?", {}]],
      ["//x", [0, "/...", "/...", "", "/x", {}]],
    ],
  },
];

/** Random tables (params, dots, odd slashes, duplicates) where routefinder's quirks show. */
const RANDOM: GoldenTable[] = [
  {
    routes: ["/../*", "/../*"],
    duplicates: [["/../*", 0, 1]],
    cases: [
      ["/..", [1, "/../*", "/../*", "/../*", "", {}]],
      ["/a%2Fb", null],
      ["/1/.w/.../a", null],
      ["/", null],
      ["/../x.json", [1, "/../*", "/../*", "/../*", "/x.json", {}]],
      ["/1.2/1/.../é", null],
      ["/../", [1, "/../*", "/../*", "/../*", "/", {}]],
      ["//w", null],
    ],
  },
  {
    routes: ["/", "/../b/:x.json/", "/:x.:y/:x.:y/...", "/:x/...", "/b/a/...", "/:x/..."],
    duplicates: [["/:x/...", 3, 5]],
    cases: [
      ["/../b/.json//", [5, "/:x/...", "/:x/...", "/:x", "/b/.json/", { x: ".." }]],
      ["/../b/q.r.json/", [5, "/:x/...", "/:x/...", "/:x", "/b/q.r.json/", { x: ".." }]],
      ["/é", [5, "/:x/...", "/:x/...", "/:x", "", { x: "é" }]],
      ["//", [0, "", "/", "/", "", {}]],
      ["//a/é/%20/", [5, "/:x/...", "/:x/...", "/:x", "/é/%20/", { x: "a" }]],
      ["/../b/1.json//", [5, "/:x/...", "/:x/...", "/:x", "/b/1.json/", { x: ".." }]],
      ["/.w/a%2Fb", [5, "/:x/...", "/:x/...", "/:x", "/a%2Fb", { x: ".w" }]],
      ["/w/%20/ab/...", [5, "/:x/...", "/:x/...", "/:x", "/%20/ab/...", { x: "w" }]],
    ],
  },
  {
    routes: ["/", "/"],
    duplicates: [["/", 0, 1]],
    cases: [
      ["/", [1, "", "/", "/", "", {}]],
      ["/x.json/1/b/...", null],
      ["//", [1, "", "/", "/", "", {}]],
      ["/a%2Fb/", null],
      ["/a%2Fb", null],
      ["/1", null],
      ["/ab//.w", null],
      ["/é/x.json", null],
    ],
  },
  {
    routes: ["/:x.json/...", "a/...", "/", "/...", "/x.:y/a", "/x.:y/%20/..", "/b//...", "/../ab//", "/"],
    duplicates: [["/", 2, 8]],
    cases: [
      ["/", [8, "", "/", "/", "", {}]],
      ["/1.2/é/1.2", [3, "/...", "/...", "", "/1.2/é/1.2", {}]],
      ["//", [8, "", "/", "/", "", {}]],
      ["/w/é/", [3, "/...", "/...", "", "/w/é/", {}]],
      ["/a%2Fb/", [3, "/...", "/...", "", "/a%2Fb/", {}]],
      ["/b/", [6, "/b//...", "/b//...", "/b/", "/", {}]],
      ["/x.1/%20/..", [3, "/...", "/...", "", "/x.1/%20/..", {}]],
      ["/q.r.json/w", [3, "/...", "/...", "", "/q.r.json/w", {}]],
    ],
  },
  {
    routes: ["/a*/...", "/a.b/.w/a", "/:x/", "/...", "/:x.json/*"],
    duplicates: [],
    cases: [
      ["//a/", [2, "/:x", "/:x/", "/:x/", "", { x: "a" }]],
      ["/a.b//w", [3, "/...", "/...", "", "/a.b//w", {}]],
      ["/1.json/", [4, "/:x.json/*", "/:x.json/*", "/:x.json/*", "/", { x: "1" }]],
      ["//ab/.w/x.json", [3, "/...", "/...", "", "/ab/.w/x.json", {}]],
      ["/.json", [4, "/:x.json/*", "/:x.json/*", "/:x.json/*", "", { x: "" }]],
      ["/1/1.2/a.b/é", [3, "/...", "/...", "", "/1/1.2/a.b/é", {}]],
      ["/a*", [0, "/a*/...", "/a*/...", "/a*", "", {}]],
      ["/a.json/", [4, "/:x.json/*", "/:x.json/*", "/:x.json/*", "/", { x: "a" }]],
    ],
  },
  {
    routes: [
      "/:x/x.:y/b/...",
      "/.w/ab",
      "/a.b/:x.:y/...",
      "/a.b/...",
      "/...",
      "a%2Fb/:y/...",
      "/ab/.w/a%2Fb/...",
      "/...",
      "/...",
    ],
    duplicates: [
      ["/...", 4, 7],
      ["/...", 7, 8],
    ],
    cases: [
      ["/.w/ab", [8, "/...", "/...", "", "/.w/ab", {}]],
      ["/1/", [8, "/...", "/...", "", "/1/", {}]],
      ["//a.b//a/", [3, "/a.b/...", "/a.b/...", "/a.b", "//a/", {}]],
      ["//a/1.2/1.2", [8, "/...", "/...", "", "/a/1.2/1.2", {}]],
      ["/a.b/x.json", [2, "/a.b/:x.:y/...", "/a.b/:x.:y/...", "/a.b/:x.:y", "", { x: "x", y: "json" }]],
      ["/a/a.b/.../1", [8, "/...", "/...", "", "/a/a.b/.../1", {}]],
      ["/a.b", [3, "/a.b/...", "/a.b/...", "/a.b", "", {}]],
      ["/b", [8, "/...", "/...", "", "/b", {}]],
    ],
  },
  {
    routes: ["/%20/*", "/...", "/:x.json/a*"],
    duplicates: [],
    cases: [
      ["/", [1, "/...", "/...", "", "/", {}]],
      ["/b/.w/x.json", [1, "/...", "/...", "", "/b/.w/x.json", {}]],
      ["/a/a%2Fb/", [1, "/...", "/...", "", "/a/a%2Fb/", {}]],
      ["/w", [1, "/...", "/...", "", "/w", {}]],
      ["/1.json/a*", [2, "/:x.json/a*", "/:x.json/a*", "/:x.json/a*", "", { x: "1" }]],
      ["/b/1.2/a%2Fb/é/", [1, "/...", "/...", "", "/b/1.2/a%2Fb/é/", {}]],
      ["/%20/w", [0, "/%20/*", "/%20/*", "/%20/*", "/w", {}]],
      ["/.json/a*", [2, "/:x.json/a*", "/:x.json/a*", "/:x.json/a*", "", { x: "" }]],
    ],
  },
  {
    routes: ["/:x/a/.w/*", "/a%2Fb/a*/..."],
    duplicates: [],
    cases: [
      ["//a/.w", null],
      ["/a%2Fb/a*/", [1, "/a%2Fb/a*/...", "/a%2Fb/a*/...", "/a%2Fb/a*", "/", {}]],
      ["//a/.w/.w", null],
      ["/a%2Fb/a*", [1, "/a%2Fb/a*/...", "/a%2Fb/a*/...", "/a%2Fb/a*", "", {}]],
      ["/é", null],
      ["/q.r/a/.w", null],
      ["/.../b/a/1.2", null],
      ["/.../a.b/.w", null],
    ],
  },
  {
    routes: ["/a.b/a.b/ab", "/a.b/..."],
    duplicates: [],
    cases: [
      ["/a.b/a.b/ab/", [0, "/a.b/a.b/ab", "/a.b/a.b/ab", "/a.b/a.b/ab", "", {}]],
      ["/.../a/", null],
      ["/a.b", [1, "/a.b/...", "/a.b/...", "/a.b", "", {}]],
      ["/1.2/b", null],
      ["/a%2Fb/%20/", null],
      ["/a.b/1/", [1, "/a.b/...", "/a.b/...", "/a.b", "/1/", {}]],
      ["/a.b/a.b/ab", [0, "/a.b/a.b/ab", "/a.b/a.b/ab", "/a.b/a.b/ab", "", {}]],
      ["/b/a.b/a%2Fb", null],
    ],
  },
  {
    routes: ["/b/", "/", "/:y", "/a%2Fb/a*/", "/"],
    duplicates: [["/", 1, 4]],
    cases: [
      ["/a%2Fb/a*/", [3, "/a%2Fb/a*", "/a%2Fb/a*/", "/a%2Fb/a*/", "", {}]],
      ["//a/1/b/", null],
      ["/", [4, "", "/", "/", "", {}]],
      ["/1.2/%20", null],
      ["/b/", [0, "/b", "/b/", "/b/", "", {}]],
      ["/w/é/a%2Fb/w", null],
      ["//a%2Fb/.w/é", null],
      ["/1", [2, "/:y", "/:y", "/:y", "", { y: "1" }]],
    ],
  },
  {
    routes: ["/ab/a%2Fb/:x", "/a/a%2Fb", "/"],
    duplicates: [],
    cases: [
      ["/a/a%2Fb/", [1, "/a/a%2Fb", "/a/a%2Fb", "/a/a%2Fb", "", {}]],
      ["/a.b/ab/%20", null],
      ["/", [2, "", "/", "/", "", {}]],
      ["/ab/a%2Fb/a/", [0, "/ab/a%2Fb/:x", "/ab/a%2Fb/:x", "/ab/a%2Fb/:x", "", { x: "a" }]],
      ["/a/a%2Fb", [1, "/a/a%2Fb", "/a/a%2Fb", "/a/a%2Fb", "", {}]],
      ["/1.2/1.2/a%2Fb/", null],
      ["/a//x.json", null],
      ["/ab/a%2Fb/a", [0, "/ab/a%2Fb/:x", "/ab/a%2Fb/:x", "/ab/a%2Fb/:x", "", { x: "a" }]],
    ],
  },
  {
    routes: ["/:x/:y/../...", "/:x/*", "/.w/:x/...", "a.b", "/a.b/..."],
    duplicates: [],
    cases: [
      ["/.w/a/é", [2, "/.w/:x/...", "/.w/:x/...", "/.w/:x", "/é", { x: "a" }]],
      ["/1/.../", [1, "/:x/*", "/:x/*", "/:x/*", "/.../", { x: "1" }]],
      ["/x.json", [1, "/:x/*", "/:x/*", "/:x/*", "", { x: "x.json" }]],
      ["/a%2Fb//a%2Fb/a.b", [1, "/:x/*", "/:x/*", "/:x/*", "//a%2Fb/a.b", { x: "a%2Fb" }]],
      ["/a%2Fb/a.b//", [1, "/:x/*", "/:x/*", "/:x/*", "/a.b/", { x: "a%2Fb" }]],
      ["//a", [1, "/:x/*", "/:x/*", "/:x/*", "", { x: "a" }]],
      ["/.w/1/a.b", [2, "/.w/:x/...", "/.w/:x/...", "/.w/:x", "/a.b", { x: "1" }]],
      ["/a%2Fb/%20/a", [1, "/:x/*", "/:x/*", "/:x/*", "/%20/a", { x: "a%2Fb" }]],
    ],
  },
  {
    routes: ["/x.:y", "/.w/x.:y/a", "/.w/b", "/:x.:y/ab/:x.:y/...", "/a%2Fb/.w", "/a*/a%2Fb/a.b/"],
    duplicates: [],
    cases: [
      ["/", null],
      ["/.w/x.a/a/", [1, "/.w/x.:y/a", "/.w/x.:y/a", "/.w/x.:y/a", "", { y: "a" }]],
      ["/x.1", [0, "/x.:y", "/x.:y", "/x.:y", "", { y: "1" }]],
      ["/%20/w", null],
      ["/.w/b", [2, "/.w/b", "/.w/b", "/.w/b", "", {}]],
      ["/.w/x.1/a/", [1, "/.w/x.:y/a", "/.w/x.:y/a", "/.w/x.:y/a", "", { y: "1" }]],
      ["/a/x.json/a%2Fb", null],
      ["//b", null],
    ],
  },
  {
    routes: [
      "/x.:y/b",
      "/:x.json/../:x.json",
      "/:x.:y",
      "/:x.json/*",
      "/...",
      "/:x/:y/ab/...",
      "/../.w/*",
      "/.w",
      "/:x.:y",
    ],
    duplicates: [["/:x.:y", 2, 8]],
    cases: [
      ["/a/q.r/ab/a.b", [5, "/:x/:y/ab/...", "/:x/:y/ab/...", "/:x/:y/ab", "/a.b", { x: "a", y: "q.r" }]],
      ["/.json", [3, "/:x.json/*", "/:x.json/*", "/:x.json/*", "", { x: "" }]],
      ["/q.r.", [8, "/:x.:y", "/:x.:y", "/:x.:y", "", { x: "q", y: "r." }]],
      ["/q.r.json/../a.json", [4, "/...", "/...", "", "/q.r.json/../a.json", {}]],
      ["//b/a", [4, "/...", "/...", "", "/b/a", {}]],
      ["/", [4, "/...", "/...", "", "/", {}]],
      ["/b/b/a%2Fb/.../", [4, "/...", "/...", "", "/b/b/a%2Fb/.../", {}]],
      ["/../.w", [4, "/...", "/...", "", "/../.w", {}]],
    ],
  },
  {
    routes: ["/ab/%20", "//", "/...", "/:x/a*"],
    duplicates: [],
    cases: [
      ["//", [1, "/", "//", "//", "", {}]],
      ["/1.2/b/.w", [2, "/...", "/...", "", "/1.2/b/.w", {}]],
      ["/", [1, "/", "//", "//", "", {}]],
      ["/1.2", [2, "/...", "/...", "", "/1.2", {}]],
      ["/q.r/a*", [3, "/:x/a*", "/:x/a*", "/:x/a*", "", { x: "q.r" }]],
      ["/w/1/", [2, "/...", "/...", "", "/w/1/", {}]],
      ["/1/a*", [3, "/:x/a*", "/:x/a*", "/:x/a*", "", { x: "1" }]],
      ["/a/a*", [3, "/:x/a*", "/:x/a*", "/:x/a*", "", { x: "a" }]],
    ],
  },
  {
    routes: ["/b", "/.w/x.:y/..."],
    duplicates: [],
    cases: [
      ["/", null],
      ["//%20/w/.../ab", null],
      ["/.w/x.q.r", [1, "/.w/x.:y/...", "/.w/x.:y/...", "/.w/x.:y", "", { y: "q.r" }]],
      ["/b", [0, "/b", "/b", "/b", "", {}]],
      ["/.w/x.q.r/1", [1, "/.w/x.:y/...", "/.w/x.:y/...", "/.w/x.:y", "/1", { y: "q.r" }]],
      ["/a.b//1/", null],
      ["/.w/.w", null],
      ["/.w/x.json/%20/x.json", [1, "/.w/x.:y/...", "/.w/x.:y/...", "/.w/x.:y", "/%20/x.json", { y: "json" }]],
    ],
  },
  {
    routes: ["/.w/../a/...", "/.w/../a/..."],
    duplicates: [["/.w/../a/...", 0, 1]],
    cases: [
      ["/.w/../a", null],
      ["/.w/../a/", null],
      ["/.w/../a/w", null],
      ["/.w/../a/a", null],
      ["/.w/../a/.w/", null],
      ["/", null],
      ["/.../é/%20/x.json/", null],
      ["/.w/../a/a.b", null],
    ],
  },
  {
    routes: ["/...", "/", "//"],
    duplicates: [],
    cases: [
      ["/", [1, "", "/", "/", "", {}]],
      ["///", [1, "", "/", "/", "", {}]],
      ["//", [1, "", "/", "/", "", {}]],
      ["/w/", [0, "/...", "/...", "", "/w/", {}]],
      ["/1", [0, "/...", "/...", "", "/1", {}]],
      ["/a", [0, "/...", "/...", "", "/a", {}]],
    ],
  },
  {
    routes: ["/a/a.b/%20/...", "/", "/ab/...", "/:x.json/a", "a.b/b", "/../...", "ab", "/"],
    duplicates: [["/", 1, 7]],
    cases: [
      ["/%20/a.b/1.2", null],
      ["/ab", [6, "/ab", "ab", "ab", "", {}]],
      ["/", [7, "", "/", "/", "", {}]],
      ["/../", [5, "/../...", "/../...", "/..", "/", {}]],
      ["/ab/", [6, "/ab", "ab", "ab", "", {}]],
      ["/a/a.b/%20/b", [0, "/a/a.b/%20/...", "/a/a.b/%20/...", "/a/a.b/%20", "/b", {}]],
      ["/b/x.json/a.b/", null],
      ["/a.b/b", [4, "/a.b/b", "a.b/b", "a.b/b", "", {}]],
    ],
  },
  {
    routes: ["//", "/a%2Fb", "/a*"],
    duplicates: [],
    cases: [
      ["/a*", [2, "/a*", "/a*", "/a*", "", {}]],
      ["/a%2Fb", [1, "/a%2Fb", "/a%2Fb", "/a%2Fb", "", {}]],
      ["//", [0, "/", "//", "//", "", {}]],
      ["/", [0, "/", "//", "//", "", {}]],
      ["///", [0, "/", "//", "//", "", {}]],
      ["/1/.../", null],
      ["/w/x.json/w", null],
      ["/x.json/.../é/", null],
    ],
  },
  {
    routes: ["/*", "/...", "/*"],
    duplicates: [["/*", 0, 2]],
    cases: [
      ["/", [2, "/*", "/*", "/*", "/", {}]],
      ["/a.b/%20/", [2, "/*", "/*", "/*", "/a.b/%20/", {}]],
      ["/.../w", [2, "/*", "/*", "/*", "/.../w", {}]],
      ["/w//%20", [2, "/*", "/*", "/*", "/w//%20", {}]],
      ["/a/", [2, "/*", "/*", "/*", "/a/", {}]],
      ["//", [2, "/*", "/*", "/*", "/", {}]],
      ["/a%2Fb", [2, "/*", "/*", "/*", "/a%2Fb", {}]],
      ["/...", [2, "/*", "/*", "/*", "/...", {}]],
    ],
  },
  {
    routes: ["/a/...", "/.w/:x.json", "/..."],
    duplicates: [],
    cases: [
      ["/a/1.2", [2, "/...", "/...", "", "/a/1.2", {}]],
      ["/.w/a.json", [2, "/...", "/...", "", "/.w/a.json", {}]],
      ["/1.2/.../x.json/", [2, "/...", "/...", "", "/1.2/.../x.json/", {}]],
      ["//.w/.w/x.json", [2, "/...", "/...", "", "/.w/.w/x.json", {}]],
      ["/é", [2, "/...", "/...", "", "/é", {}]],
      ["/a%2Fb", [2, "/...", "/...", "", "/a%2Fb", {}]],
      ["/", [2, "/...", "/...", "", "/", {}]],
      ["/.w/1.json", [2, "/...", "/...", "", "/.w/1.json", {}]],
    ],
  },
  {
    routes: ["/"],
    duplicates: [],
    cases: [
      ["/", [0, "", "/", "/", "", {}]],
      ["/1/.w/.w", null],
      ["//a.b", null],
      ["/w/ab/", null],
      ["/.w/w", null],
    ],
  },
  {
    routes: ["/:x/a%2Fb/", "/...", "/a*/...", "/", "/a/.w", "/a/../:x.:y"],
    duplicates: [],
    cases: [
      ["/%20/a%2Fb/w/x.json", [1, "/...", "/...", "", "/%20/a%2Fb/w/x.json", {}]],
      ["/", [3, "", "/", "/", "", {}]],
      ["/.../a.b", [1, "/...", "/...", "", "/.../a.b", {}]],
      ["/a%2Fb/.w/a", [1, "/...", "/...", "", "/a%2Fb/.w/a", {}]],
      ["/.../.../", [1, "/...", "/...", "", "/.../.../", {}]],
      ["/1/a%2Fb//", [0, "/:x/a%2Fb", "/:x/a%2Fb/", "/:x/a%2Fb/", "", { x: "1" }]],
      ["/a/.w", [1, "/...", "/...", "", "/a/.w", {}]],
      ["/a*/...", [2, "/a*/...", "/a*/...", "/a*", "/...", {}]],
    ],
  },
];

function target(index: number): HttpTarget {
  return { kind: "static", status: 200, headers: [["x-route-index", String(index)]], body: new Uint8Array() };
}

function indexOf(t: HttpTarget): number {
  return t.kind === "static" ? Number(t.headers[0]![1]) : -1;
}

function check(table: GoldenTable): void {
  const routes = RouteTable.build(table.routes.map((route, i) => ({ route, target: target(i) })));
  expect(routes.duplicates.map((d) => [d.route, indexOf(d.target), indexOf(d.effectiveTarget)])).toEqual(
    table.duplicates,
  );
  for (const [path, expected] of table.cases) {
    const hit = routes.match(path);
    const actual = hit
      ? [
          indexOf(hit.target),
          hit.matchedRoute,
          hit.rawComponentRoute,
          hit.componentRoute,
          hit.pathInfo,
          { ...hit.params },
        ]
      : null;
    expect(actual, `${JSON.stringify(path)} in ${JSON.stringify(table.routes)}`).toEqual(expected);
  }
}

describe("RouteTable answers as Spin's router does", () => {
  it.each(CURATED.map((t) => [t.note ?? "", t] as const))("%s", (_note, table) => check(table));
  it.each(RANDOM.map((t, i) => [i, t] as const))("random table %i", (_i, table) => check(table));
});
