/**
 * The listings' demo data: the category table, listings spread over every category and county the
 * way a real marketplace is, and favorites. Run by prisma/seed/seed.ts through the registry
 * (subgraphs/index.ts), after the users' demo data, whose sellers it is given.
 */
import crypto from "node:crypto";
import type { PrismaClient } from "../../lib/db/database.ts";
import { COUNTIES } from "../../lib/locations.ts";
import type { Prisma } from "../../prisma/generated/client.ts";
import { Catalog } from "./catalog/catalog.ts";
import { syncCategories } from "./catalog/sync.ts";
import { generateListing, pick, type Rng } from "./demo-text.ts";
import { toRonBani } from "../../lib/money.ts";

/** What the listings' demo data is made from (a part of the registry's DemoWorld). */
export interface ListingsDemoWorld {
  rng: Rng;
  listings: number;
  eurRonRate: number;
  /** The demo sellers (users' demo data); they also save each other's listings. */
  sellerIds?: string[];
}

const BATCH = 1000;
const DAY_MS = 86_400_000;

/** Relative share of listings, roughly as on Romanian classifieds sites (others count 1). */
const CATEGORY_WEIGHT: Record<string, number> = {
  autoturisme: 10, "apartamente-de-vanzare": 5, "apartamente-de-inchiriat": 5, "case-de-vanzare": 3, terenuri: 3,
  telefoane: 5, "laptopuri-calculatoare": 3, "piese-auto": 4, electrocasnice: 3, mobila: 3, imbracaminte: 3, biciclete: 2,
};
/** București and the counties of the large cities carry most listings (others count 1). */
const COUNTY_WEIGHT: Record<string, number> = {
  B: 10, IF: 4, CJ: 5, TM: 4, IS: 4, CT: 4, BV: 4, PH: 3, BH: 3, DJ: 3, GL: 2, AG: 2, SB: 2, MS: 2, BC: 2, AR: 2, SV: 2,
};

function weightedPick<T>(rng: Rng, items: readonly T[], weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let roll = rng() * total;
  for (const item of items) {
    roll -= weight(item);
    if (roll < 0) return item;
  }
  return items.at(-1)!;
}

export async function addDemoData(prisma: PrismaClient, { rng, listings, eurRonRate, sellerIds }: ListingsDemoWorld): Promise<void> {
  if (!sellerIds) throw new Error("The listings' demo data needs the users' sellers: users come first in the registry.");
  const catalog = new Catalog();
  await syncCategories(prisma, catalog);
  const active = await createListings(prisma, catalog, rng, sellerIds, listings, eurRonRate);
  await createFavorites(prisma, rng, sellerIds, active, Math.floor(listings * 1.5));
}

function lifecycle(rng: Rng, now: number): Pick<Prisma.ListingCreateManyInput, "status" | "publishedAt" | "expiresAt" | "soldAt"> {
  const roll = rng();
  if (roll < 0.04) return { status: "DRAFT" };
  const publishedAt = new Date(now - Math.floor(rng() * 25 * DAY_MS));
  const expiresAt = new Date(publishedAt.getTime() + 30 * DAY_MS);
  if (roll < 0.1) return { status: "SOLD", publishedAt, expiresAt, soldAt: new Date(publishedAt.getTime() + DAY_MS) };
  if (roll < 0.14) {
    const old = new Date(now - (31 + Math.floor(rng() * 60)) * DAY_MS);
    return { status: "EXPIRED", publishedAt: old, expiresAt: new Date(old.getTime() + 30 * DAY_MS) };
  }
  return { status: "ACTIVE", publishedAt, expiresAt };
}

/** Inserts `count` listings spread over every leaf category and county; returns the active ones' ids. */
async function createListings(
  prisma: PrismaClient,
  catalog: Catalog,
  rng: Rng,
  sellerIds: string[],
  count: number,
  eurRonRate: number,
): Promise<string[]> {
  const leaves = catalog.all().filter((c) => catalog.isLeaf(c));
  const now = Date.now();
  const active: string[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const rows: Prisma.ListingCreateManyInput[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      // The first listings visit every category and every county once; the rest follow how a real
      // marketplace is spread: many cars and flats, most of them around the large cities.
      const category = i < leaves.length ? leaves[i]! : weightedPick(rng, leaves, (c) => CATEGORY_WEIGHT[c.slug] ?? 1);
      const county = i < COUNTIES.length ? COUNTIES[i]! : weightedPick(rng, COUNTIES, (c) => COUNTY_WEIGHT[c.code] ?? 1);
      const city = pick(rng, county.cities);
      const text = generateListing(rng, category, catalog.attributesOf(category), { countyName: county.name, city });
      const id = crypto.randomUUID();
      const state = lifecycle(rng, now);
      if (state.status === "ACTIVE") active.push(id);
      rows.push({
        id,
        sellerId: pick(rng, sellerIds),
        categoryId: category.id,
        title: text.title,
        description: text.description,
        priceAmount: text.priceAmount,
        currency: text.currency,
        priceRonBani: toRonBani(text.priceAmount, text.currency, eurRonRate),
        negotiable: text.negotiable,
        condition: text.condition,
        county: county.code,
        city,
        attributes: text.attributes,
        viewCount: Math.floor(rng() * 500),
        createdAt: state.publishedAt ?? new Date(now),
        ...state,
      });
    }
    await prisma.listing.createMany({ data: rows });
  }
  return active;
}

async function createFavorites(prisma: PrismaClient, rng: Rng, userIds: string[], listingIds: string[], count: number) {
  if (!listingIds.length) return;
  const data = Array.from({ length: count }, () => ({ userId: pick(rng, userIds), listingId: pick(rng, listingIds) }));
  for (let i = 0; i < data.length; i += BATCH) {
    await prisma.favorite.createMany({ data: data.slice(i, i + BATCH), skipDuplicates: true });
  }
}
