import { describe, expect, it } from "vitest";
import { mergeGuestUses } from "../../../src/triggers/guest-uses.js";
import { executorNamed } from "../../../src/triggers/http/executors/registry.js";
import type { GuestUse } from "../../../src/triggers/trigger.js";

const wagi = executorNamed("wagi");
const wasiHttp = executorNamed("wasi-http");
const use = (componentId: string, executor: GuestUse["executor"], config: unknown): GuestUse => ({
  componentId,
  executor,
  configs: [config],
});

describe("mergeGuestUses", () => {
  it("prepares each component once, with the configs of all its uses, in first-use order", () => {
    const merged = mergeGuestUses([use("a", wagi, 1), use("b", wasiHttp, 2), use("a", wagi, 3)]);
    expect(merged.map((u) => [u.componentId, u.executor.kind, u.configs])).toEqual([
      ["a", "wagi", [1, 3]],
      ["b", "wasi-http", [2]],
    ]);
  });

  it("refuses a component used with two executors, naming it and both", () => {
    expect(() => mergeGuestUses([use("a", wagi, 1), use("a", wasiHttp, 2)])).toThrow(
      "component a is used with both the wagi and wasi-http executors",
    );
  });

  it("leaves the uses it was given as they were", () => {
    const first = use("a", wagi, 1);
    mergeGuestUses([first, use("a", wagi, 2)]);
    expect(first.configs).toEqual([1]);
  });
});
