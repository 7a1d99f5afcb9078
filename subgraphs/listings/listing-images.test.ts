import type { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import type { ListingImage } from "../../prisma/generated/client.ts";
import { imageIdsOf } from "./listing-input.ts";
import { imageRows, MAX_LISTING_IMAGES, newImageIds, reordered } from "./listing-images.ts";

/** The one field problem a refusal names. */
function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    const { code, fields } = (error as GraphQLError).extensions as { code: string; fields: { field: string; reason: string; message: string }[] };
    expect(code).toBe("BAD_USER_INPUT");
    expect(fields).toHaveLength(1);
    return fields[0];
  }
  throw new Error("accepted");
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `img-${i}`);
const row = (id: string, position: number): ListingImage => ({ id, listingId: "l", position, width: 800, height: 600, dominantColor: "#808080", createdAt: new Date(0) });

describe("photos added to a listing", () => {
  it("are up to 12 in all, counting those it has", () => {
    expect(newImageIds(ids(MAX_LISTING_IMAGES), 0)).toHaveLength(12);
    expect(newImageIds(ids(2), 10)).toHaveLength(2);
    expect(refusal(() => newImageIds(ids(13), 0))).toMatchObject({ field: "imageIds", reason: "OUT_OF_RANGE", message: "Un anunț are cel mult 12 fotografii." });
    expect(refusal(() => newImageIds(ids(3), 10))).toMatchObject({ reason: "OUT_OF_RANGE", message: expect.stringContaining("are deja 10; mai poți adăuga 2") });
  });

  it("refuses a list of 1,000 by its length, before looking at a single id", () => {
    expect(refusal(() => newImageIds(Array.from({ length: 1000 }, () => "same"), 0))).toMatchObject({ reason: "OUT_OF_RANGE" });
  });

  it("refuses an id given twice", () => {
    expect(refusal(() => newImageIds(["a", "b", "a"], 0))).toMatchObject({ field: "imageIds", reason: "INVALID" });
  });

  it("become rows after the ones there, in the order given", () => {
    const attached = ["x", "y"].map((id) => ({ id, width: 1600, height: 1200, dominantColor: "#112233" }));
    expect(imageRows("l", attached, 3)).toEqual([
      { id: "x", listingId: "l", position: 3, width: 1600, height: 1200, dominantColor: "#112233" },
      { id: "y", listingId: "l", position: 4, width: 1600, height: 1200, dominantColor: "#112233" },
    ]);
  });
});

describe("a new order of a listing's photos", () => {
  const current = ["a", "b", "c"].map(row);

  it("is a permutation of the photos it has", () => {
    expect(reordered(current, ["c", "a", "b"]).map((i) => i.id)).toEqual(["c", "a", "b"]);
    for (const wrong of [["a", "b"], ["a", "b", "c", "d"], ["a", "b", "x"]]) {
      expect(refusal(() => reordered(current, wrong))).toMatchObject({ field: "imageIds", reason: "INVALID" });
    }
    expect(refusal(() => reordered(current, ["a", "a", "b"]))).toMatchObject({ field: "imageIds", reason: "INVALID" });
  });
});

describe("createListing's imageIds", () => {
  it("are optional; anything but a list of ids is refused on imageIds", () => {
    expect(imageIdsOf({ title: "x" })).toEqual([]);
    expect(imageIdsOf({ imageIds: null })).toEqual([]);
    expect(imageIdsOf({ imageIds: ["a", "b"] })).toEqual(["a", "b"]);
    expect(refusal(() => imageIdsOf({ imageIds: "a" }))).toMatchObject({ field: "imageIds" });
  });
});
