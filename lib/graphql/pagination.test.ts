import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, pageSize, toConnection } from "./pagination.ts";

describe("cursor pagination", () => {
  it("round-trips cursors and refuses malformed ones as BAD_USER_INPUT", () => {
    const cursor = encodeCursor(["2026-11-27T10:00:00.000Z", "id-1"]);
    expect(decodeCursor(cursor, 2)).toEqual(["2026-11-27T10:00:00.000Z", "id-1"]);
    for (const bad of ["!!!", encodeCursor(["only-one"]), Buffer.from("{}").toString("base64url")]) {
      expect(() => decodeCursor(bad, 2)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }));
    }
  });

  it("bounds page sizes", () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(0)).toBe(0);
    expect(() => pageSize(101)).toThrow();
    expect(() => pageSize(-1)).toThrow();
    expect(() => pageSize(1.5)).toThrow();
  });

  it("uses the extra row only to tell that another page exists", async () => {
    const rows = [1, 2, 3, 4];
    const page = toConnection(rows, 3, (n) => [n], false, async () => 10);
    expect(page.edges.map((e) => e.node)).toEqual([1, 2, 3]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: encodeCursor([3]) });
    expect(await page.totalCount()).toBe(10);
    expect(toConnection([1], 3, (n) => [n], true, async () => 1).pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});
