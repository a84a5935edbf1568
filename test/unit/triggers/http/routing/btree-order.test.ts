import { describe, expect, it } from "vitest";
import { btreeOrder } from "../../../../../src/triggers/http/routing/btree-order.js";

/** Never 0, as routefinder's comparison: ties compare "after", so they keep insertion order. */
const byValue = (a: { v: number }, b: { v: number }) => (a.v < b.v ? -1 : 1);

describe("btreeOrder", () => {
  it.each([0, 1, 11, 12, 13, 50, 500])("sorts %i items stably, through node splits", (count) => {
    let seed = count + 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 20;
    const items = Array.from({ length: count }, (_, i) => ({ v: next(), i }));
    const expected = [...items].sort((a, b) => a.v - b.v || a.i - b.i);
    expect(btreeOrder(items, byValue)).toEqual(expected);
  });

  it("sorts ascending and descending insertions (splits on both edges)", () => {
    const up = Array.from({ length: 100 }, (_, i) => ({ v: i }));
    expect(btreeOrder(up, byValue)).toEqual(up);
    expect(btreeOrder([...up].reverse(), byValue)).toEqual(up);
  });
});
