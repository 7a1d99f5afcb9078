import { describe, expect, it } from "vitest";
import { categoryCounts, priceRanges, PRICE_RANGES, toFacets } from "./facets.ts";

describe("priceRanges", () => {
  it("joins 1-2-5 steps into at most five ranges of about equal counts, contiguous, the last open", () => {
    const steps = [0, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000].map((from) => ({ from, count: 10 }));
    const ranges = priceRanges(steps);
    expect(ranges.length).toBe(PRICE_RANGES);
    expect(ranges.reduce((s, r) => s + r.count, 0)).toBe(80);
    expect(ranges[0]!.min).toBe(0);
    expect(ranges.at(-1)!.max).toBeNull();
    for (const [i, range] of ranges.slice(1).entries()) expect(range.min).toBe(ranges[i]!.max! + 1);
  });

  it("keeps a single step whole, and fewer steps than ranges as they are", () => {
    expect(priceRanges([{ from: 100_000, count: 7 }])).toEqual([{ min: 100_000, max: null, count: 7 }]);
    expect(priceRanges([{ from: 200, count: 1 }, { from: 100, count: 1 }])).toEqual([{ min: 100, max: 199, count: 1 }, { min: 200, max: null, count: 1 }]);
    expect(priceRanges([])).toEqual([]);
  });

  it("does not split a step holding most listings", () => {
    const ranges = priceRanges([{ from: 0, count: 1 }, { from: 100, count: 1_000 }, { from: 200, count: 1 }]);
    expect(ranges.reduce((s, r) => s + r.count, 0)).toBe(1_002);
    const holding = ranges.find((r) => r.min <= 100 && (r.max === null || r.max >= 199));
    expect(holding?.count).toBeGreaterThanOrEqual(1_000);
  });
});

describe("categoryCounts", () => {
  it("counts each path for every category on it, so a parent counts its subtree", () => {
    const counts = categoryCounts([
      { key: "2,201", count: 5 },
      { key: "2,202", count: 3 },
      { key: "8,801", count: 2 },
    ]);
    expect(Object.fromEntries(counts.map((c) => [c.category.id, c.count]))).toEqual({ "2": 8, "201": 5, "202": 3, "8": 2, "801": 2 });
    expect(categoryCounts([])).toEqual([]);
  });
});

describe("toFacets", () => {
  it("adds each listing category's count to its ancestors by the catalog's paths; an unknown category counts for itself", () => {
    const paths = new Map([
      ["2", ["2"]],
      ["201", ["2", "201"]],
      ["8", ["8"]],
      ["801", ["8", "801"]],
      ["804", ["8", "804"]],
    ]);
    const facets = toFacets(
      [
        { kind: "category", key: "801", key2: null, count: 4 },
        { kind: "category", key: "804", key2: null, count: 1 },
        { kind: "category", key: "201", key2: null, count: 2 },
        { kind: "category", key: "999", key2: null, count: 3 },
      ],
      paths,
    );
    expect(Object.fromEntries(facets.categories.map((c) => [c.category.id, c.count]))).toEqual({ "8": 5, "801": 4, "804": 1, "2": 2, "201": 2, "999": 3 });
    expect(facets.categories.map((c) => c.count)).toEqual([5, 4, 3, 2, 2, 1]);
  });
});
