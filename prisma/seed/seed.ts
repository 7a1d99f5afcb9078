/**
 * Romanian demo data: an admin, sellers across the country and their listings in every category.
 * Loaded on the first start of the embedded database (DEMO_DATA), and in bulk for benchmarks.
 * Content is deterministic for a given seed, so figures measured on it are comparable run to run.
 */
import crypto from "node:crypto";
import { hash } from "@node-rs/argon2";
import type { PrismaClient } from "../../lib/db/database.ts";
import { COUNTIES } from "../../lib/locations.ts";
import type { Logger } from "../../lib/logger.ts";
import { Catalog } from "../../subgraphs/listings/catalog/catalog.ts";
import { syncCategories } from "../../subgraphs/listings/catalog/sync.ts";
import { toRonBani } from "../../subgraphs/listings/listing-rules.ts";
import type { Prisma } from "../generated/client.ts";
import { generateListing, generatePerson, mulberry32, type Rng } from "./demo-text.ts";

export const DEMO_ADMIN = { email: "admin@piata.ai", password: "Admin-Piata-2026!", displayName: "Administrator Piața" };
export const DEMO_SELLER_PASSWORD = "Parola-Demo-2026";

export interface DemoOptions {
  sellers?: number;
  listings?: number;
  seed?: number;
  eurRonRate?: number;
  log?: Logger;
}

const BATCH = 1000;
const DEFAULT_SEED = 2026;
const DAY_MS = 86_400_000;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

function weightedPick<T>(rng: Rng, items: readonly T[], weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let roll = rng() * total;
  for (const item of items) {
    roll -= weight(item);
    if (roll < 0) return item;
  }
  return items.at(-1)!;
}

/** Relative share of listings, roughly as on Romanian classifieds sites (others count 1). */
const CATEGORY_WEIGHT: Record<string, number> = {
  autoturisme: 10, "apartamente-de-vanzare": 5, "apartamente-de-inchiriat": 5, "case-de-vanzare": 3, terenuri: 3,
  telefoane: 5, "laptopuri-calculatoare": 3, "piese-auto": 4, electrocasnice: 3, mobila: 3, imbracaminte: 3, biciclete: 2,
};
/** București and the counties of the large cities carry most listings (others count 1). */
const COUNTY_WEIGHT: Record<string, number> = {
  B: 10, IF: 4, CJ: 5, TM: 4, IS: 4, CT: 4, BV: 4, PH: 3, BH: 3, DJ: 3, GL: 2, AG: 2, SB: 2, MS: 2, BC: 2, AR: 2, SV: 2,
};

function asciiSlug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.|\.$/g, "");
}

async function createSellers(prisma: PrismaClient, rng: Rng, count: number, seed: number): Promise<string[]> {
  const passwordHash = await hash(DEMO_SELLER_PASSWORD);
  const now = Date.now();
  const rows: Prisma.UserCreateManyInput[] = [];
  for (let i = 0; i < count; i++) {
    const person = generatePerson(rng);
    const county = pick(rng, COUNTIES);
    rows.push({
      id: crypto.randomUUID(),
      // The default seed keeps the README's short e-mails; other seeds get their own, so runs can add up.
      email: `${asciiSlug(`${person.firstName} ${person.lastName}`)}.${seed === DEFAULT_SEED ? "" : `${seed}-`}${i + 1}@example.ro`,
      passwordHash,
      displayName: person.displayName,
      county: county.code,
      city: pick(rng, county.cities),
      createdAt: new Date(now - Math.floor(rng() * 3 * 365) * DAY_MS),
    });
  }
  for (let i = 0; i < rows.length; i += BATCH) await prisma.user.createMany({ data: rows.slice(i, i + BATCH) });
  return rows.map((r) => r.id!);
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
export async function createListings(
  prisma: PrismaClient,
  rng: Rng,
  sellerIds: string[],
  count: number,
  eurRonRate: number,
): Promise<string[]> {
  const catalog = new Catalog();
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

export async function seedDemoData(prisma: PrismaClient, options: DemoOptions = {}): Promise<void> {
  const { sellers = 200, listings = 2000, seed = DEFAULT_SEED, eurRonRate = 4.97, log } = options;
  const started = Date.now();
  const rng = mulberry32(seed);
  await syncCategories(prisma, new Catalog());
  await prisma.user.upsert({
    where: { email: DEMO_ADMIN.email },
    create: { email: DEMO_ADMIN.email, displayName: DEMO_ADMIN.displayName, role: "ADMIN", passwordHash: await hash(DEMO_ADMIN.password) },
    update: {},
  });
  const sellerIds = await createSellers(prisma, rng, sellers, seed);
  const active = await createListings(prisma, rng, sellerIds, listings, eurRonRate);
  await createFavorites(prisma, rng, sellerIds, active, Math.floor(listings * 1.5));
  log?.info({ sellers, listings, ms: Date.now() - started }, "demo data loaded");
}
