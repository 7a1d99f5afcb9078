import { describe, expect, it } from "vitest";
import { gathered } from "./gathered.ts";

describe("gathered", () => {
  it("loads the parts asked for in one tick together, once", async () => {
    const loads: string[][] = [];
    const get = gathered(async (parts: ReadonlySet<string>) => {
      loads.push([...parts]);
      return loads.length;
    });
    const answers = await Promise.all([get("edges"), get("facets"), get("edges")]);
    expect(answers).toEqual([1, 1, 1]);
    expect(loads).toEqual([["edges", "facets"]]);
    expect(await get("facets")).toBe(1);
    expect(await get("totalCount")).toBe(2);
    expect(loads).toEqual([["edges", "facets"], ["totalCount"]]);
  });
});
