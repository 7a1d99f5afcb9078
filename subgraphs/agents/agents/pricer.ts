/**
 * pricer: a price range for a listing (by id) or for a listing being written (category, title,
 * attributes, place), from comparable active listings (models/pricing.ts), with the basis: how many
 * comparables and which filters were relaxed. For a listing it also says where its own price falls.
 */
import { z } from "zod";
import { defineAgent } from "../runtime/contract.ts";
import { estimatePrice, type PriceEstimate } from "../models/pricing.ts";
import { sqlFor } from "../runtime/sql.ts";

const attributeValue = z.union([z.string().max(200), z.number(), z.boolean()]);

export const pricerInput = z
  .object({
    listingId: z.uuid().optional(),
    categoryId: z.number().int().positive().optional(),
    title: z.string().max(200).optional(),
    attributes: z.record(z.string().max(50), attributeValue).optional(),
    county: z.string().max(3).optional(),
    city: z.string().max(100).optional(),
  })
  .refine((input) => input.listingId !== undefined || input.categoryId !== undefined, { message: "listingId or categoryId", path: ["categoryId"] });

export const agent = defineAgent({
  name: "pricer",
  description:
    "A price range (25th percentile, median, 75th percentile, in RON) for a listing or a listing being written, from comparable active listings: same category, similar title words and attributes, nearby first; says how many comparables and which filters were relaxed.",
  input: pricerInput,
  timeoutSeconds: 30,
  concurrency: 4,
  async run({ input }, { db }) {
    if (!input.listingId) {
      // The schema asks for a category when there is no listing.
      const estimate = await estimatePrice(db, { ...input, categoryId: input.categoryId! });
      return { status: "success", output: { estimate } };
    }
    // Plain SQL (runtime/sql.ts): a pricer run in a worker never loads Prisma's query compiler.
    // priceRonBani (int8) as text: node-postgres reads an int8 as a string, Prisma as a bigint.
    const [listing] = await sqlFor(db)<{ id: string; categoryId: number; title: string; attributes: unknown; county: string; city: string; priceRonBani: string }>(
      `SELECT id, "categoryId", title, attributes, county, city, "priceRonBani"::text AS "priceRonBani" FROM "Listing" WHERE id = $1::uuid`,
      [input.listingId],
    );
    if (!listing) return { status: "error", output: { listingId: input.listingId, reason: "no such listing" } };
    const attributes = listing.attributes && typeof listing.attributes === "object" ? (listing.attributes as Record<string, unknown>) : {};
    const estimate = await estimatePrice(db, { ...listing, categoryId: Number(listing.categoryId), attributes, excludeListingId: listing.id });
    const priceRon = Number(BigInt(listing.priceRonBani)) / 100;
    return { status: "success", output: { listingId: listing.id, priceRon, position: position(priceRon, estimate), estimate } };
  },
  async health({ db }) {
    await sqlFor(db)("SELECT 1");
    return { ok: true };
  },
});

/** Where a price falls against the range: below the 25th percentile, within, or above the 75th. */
function position(priceRon: number, estimate: PriceEstimate | null): "BELOW" | "WITHIN" | "ABOVE" | null {
  if (!estimate) return null;
  return priceRon < estimate.low ? "BELOW" : priceRon > estimate.high ? "ABOVE" : "WITHIN";
}
