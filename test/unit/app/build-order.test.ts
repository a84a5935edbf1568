import { describe, expect, it } from "vitest";
import { dependencyOrder, type BuildableComponent } from "../../../src/app/build-app.js";

const component = (id: string, deps: { paths?: string[]; components?: string[] } = {}): BuildableComponent => ({
  id,
  build: { command: "true" },
  source: { kind: "path", path: `/app/${id}.wasm` },
  localDependencies: { paths: deps.paths ?? [], components: deps.components ?? [] },
});

describe("wisp build order", () => {
  it("builds a component after the components whose output it depends on, else in manifest order", () => {
    const order = dependencyOrder([
      component("web", { paths: ["/app/lib.wasm"] }),
      component("other"),
      component("lib", { components: ["base"] }),
      component("base"),
    ]).map((c) => c.id);
    expect(order).toEqual(["other", "base", "lib", "web"]);
  });

  it("keeps manifest order, with a warning, when the dependencies form a cycle", () => {
    const warnings: string[] = [];
    const order = dependencyOrder([component("a", { components: ["b"] }), component("b", { components: ["a"] })], (l) =>
      warnings.push(l),
    );
    expect(order.map((c) => c.id)).toEqual(["a", "b"]);
    expect(warnings[0]).toContain("cycle");
  });

  it("ignores dependencies on files no component builds", () => {
    expect(
      dependencyOrder([component("a", { paths: ["/elsewhere/x.wasm"] }), component("b")]).map((c) => c.id),
    ).toEqual(["a", "b"]);
  });
});
