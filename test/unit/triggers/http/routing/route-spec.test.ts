import { describe, expect, it } from "vitest";
import {
  matchSpec,
  parseRouteSpec,
  RouteSyntaxError,
  trimSlashes,
  type Segment,
} from "../../../../../src/triggers/http/routing/route-spec.js";

function show(segments: readonly Segment[]): string {
  return segments
    .map((s) =>
      s.kind === "exact"
        ? `"${s.text}"`
        : s.kind === "param"
          ? `:${s.name}`
          : s.kind === "wildcard"
            ? "*"
            : s.kind === "dot"
              ? "DOT"
              : "/",
    )
    .join(" ");
}

describe("parseRouteSpec (routefinder's parser)", () => {
  it.each([
    ["", "", ""],
    ["/", "", ""],
    ["/hello", `"hello"`, "hello"],
    ["//a//b//", `"a" / "b"`, "a/b"],
    ["/users/:id", `"users" / :id`, undefined],
    ["/a/*", `"a" / *`, undefined],
    ["*", "*", undefined],
    ["/foo.json", `"foo." "json"`, "foo.json"],
    ["/:name.json", `:name DOT "json"`, undefined],
    ["/:name.:ext", `:name DOT :ext`, undefined],
    ["/.well-known/x", `DOT "well-known" / "x"`, ".well-known/x"],
    ["/a/.b", `"a." "b"`, "a.b"],
    ["/a*", `"a*"`, "a*"],
  ])("%j is %s", (source, segments, literal) => {
    const spec = parseRouteSpec(source);
    expect(show(spec.segments)).toBe(segments);
    expect(spec.literal).toBe(literal);
  });

  it.each([
    ["/a/*", "a"],
    ["/users/:id/x", "users"],
    ["/:x", ""],
    ["/v1.:minor", "v1."],
    ["/exact/path", "exact/path"],
  ])("%j only matches paths starting with %j", (source, prefix) => {
    expect(parseRouteSpec(source).prefix).toBe(prefix);
  });

  it.each(["/*name", "/:", "/a/*/b", "/*.json"])("refuses %j", (source) => {
    expect(() => parseRouteSpec(source)).toThrow(RouteSyntaxError);
  });
});

describe("matchSpec (routefinder's matcher, on a slash-trimmed path)", () => {
  it.each([
    ["/users/:id", "users/42", { params: [["id", "42"]], wildcard: undefined }],
    ["/users/:id", "users/", undefined],
    ["/users/:id/x", "users//x", { params: [["id", ""]], wildcard: undefined }],
    ["/a/*", "a", { params: [], wildcard: "" }],
    ["/a/*", "a/b//c", { params: [], wildcard: "b//c" }],
    ["/a/*", "ab", undefined],
    ["*", "", { params: [], wildcard: "" }],
    ["/:f.json", "x.json", { params: [["f", "x"]], wildcard: undefined }],
    ["/:f.json", "x.y.json", undefined],
    ["/:f.json", "x", undefined],
    ["/hello", "hello", { params: [], wildcard: undefined }],
    ["/hello", "hello/x", undefined],
  ] as const)("%j against %j", (source, path, expected) => {
    expect(matchSpec(parseRouteSpec(source), path)).toEqual(expected);
  });

  it.each([
    ["/a/", "a"],
    ["//a//", "a"],
    ["/", ""],
    ["", ""],
    ["/a/b", "a/b"],
    ["a", "a"],
  ])("trimSlashes(%j) is %j", (text, trimmed) => {
    expect(trimSlashes(text)).toBe(trimmed);
  });
});
