/**
 * The browse page's plain statement (subgraphs/listings/listing-sql.ts) reads exactly the rows, values
 * and types findMany reads for the same arguments: every filter, every order, with and without a cursor,
 * narrow and whole rows; on PGlite and on PostgreSQL (the stack projects).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { openDatabase, type Database } from "../lib/db/database.ts";
import { createLogger } from "../lib/logger.ts";
import { filterWhere, LISTING_ORDERS, type ListingFilterInput } from "../subgraphs/listings/browse.ts";
import { Catalog } from "../subgraphs/listings/catalog/catalog.ts";
import { syncCategories } from "../subgraphs/listings/catalog/sync.ts";
import type { ListingSelect } from "../subgraphs/listings/listing-columns.ts";
import { LIST_OMIT } from "../subgraphs/listings/listing-row.ts";
import { listingPageSql, listingWhereSql } from "../subgraphs/listings/listing-sql.ts";
import { activeListing } from "../subgraphs/listings/listing-status.ts";
import { backend, createTestDatabase, type TestDatabase } from "./utils/databases.ts";
import { describeStack } from "./utils/stack.ts";

const EUR_RON = 4.97;
const catalog = new Catalog();
const cars = catalog.getBySlug("autoturisme")!;

describeStack("the browse page's plain statement", () => {
  let db: Database;
  let database: TestDatabase;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-listing-sql-"));
  const sellers: string[] = [];

  beforeAll(async () => {
    if (backend === "pglite") fs.cpSync(inject("pgliteTemplate"), path.join(dir, "pgdata"), { recursive: true });
    database = await createTestDatabase();
    db = await openDatabase({ DATABASE_URL: database.url, DATA_DIR: dir }, createLogger({ LOG_LEVEL: "silent" }));
    await syncCategories(db.prisma, catalog);
    for (let i = 0; i < 3; i++) {
      sellers.push((await db.prisma.user.create({ data: { email: `s${i}@example.ro`, passwordHash: "x", displayName: `Vânzător ${i}` } })).id);
    }
    const categories = [cars.id, ...catalog.subtreeIds(cars).filter((id) => id !== cars.id), catalog.getBySlug("telefoane")?.id ?? 401];
    const statuses = ["ACTIVE", "ACTIVE", "ACTIVE", "DRAFT", "SOLD"] as const;
    const conditions = ["NEW", "USED", null, "REFURBISHED"] as const;
    const start = Date.UTC(2026, 10, 1);
    await db.prisma.listing.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        sellerId: sellers[i % 3]!,
        categoryId: categories[i % categories.length]!,
        title: `Anunț ${i}`,
        description: `Descriere ${i}`,
        priceAmount: 1000 * ((i * 7) % 23) + 100,
        currency: i % 2 ? ("EUR" as const) : ("RON" as const),
        priceRonBani: BigInt(1000 * ((i * 7) % 23) + 100) * (i % 2 ? 497n : 100n),
        condition: conditions[i % 4],
        county: i % 3 ? "CJ" : "B",
        city: i % 3 ? "Cluj-Napoca" : "București",
        attributes: i % 2 ? { year: 2010 + (i % 10), fuel: "benzina" } : {},
        status: statuses[i % 5],
        // Ties on publishedAt (every pair) so that the id decides the order.
        publishedAt: new Date(start + Math.floor(i / 2) * 3_600_000),
        expiresAt: new Date(i % 11 === 10 ? start : Date.now() + 86_400_000),
      })),
    });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const filters: ListingFilterInput[] = [
    {},
    { categoryId: String(cars.id) },
    { county: "CJ" },
    { county: "CJ", city: "Cluj-Napoca" },
    { price: { min: 5000, currency: "RON" } },
    { price: { min: 10, max: 15000, currency: "EUR" } },
    { condition: ["NEW", "REFURBISHED"] },
    { condition: [] },
  ];

  async function bothReads(where: object, orderBy: Record<string, "asc" | "desc">[], take: number, select: ListingSelect) {
    const sql = listingPageSql({ where, orderBy, take }, select);
    expect(sql).toBeDefined();
    const [raw, prisma] = await Promise.all([
      db.prisma.$queryRaw(sql!),
      select ? db.prisma.listing.findMany({ where, orderBy, take, select }) : db.prisma.listing.findMany({ where, orderBy, take, omit: LIST_OMIT }),
    ]);
    return { raw, prisma };
  }

  it("reads what findMany reads, for every filter, order and cursor, whole rows and narrow ones", async () => {
    const narrow = { id: true, title: true, priceAmount: true, currency: true, sellerId: true, publishedAt: true, createdAt: true, priceRonBani: true } as ListingSelect;
    const withSeller = [...filters, { sellerId: sellers[1]! }];
    let compared = 0;
    for (const filter of withSeller) {
      const where = { ...filterWhere(filter, catalog, EUR_RON), ...activeListing.where() };
      for (const order of Object.values(LISTING_ORDERS)) {
        for (const select of [undefined, narrow]) {
          const first = await bothReads(where, order.orderBy, 6, select);
          expect(first.raw).toEqual(first.prisma);
          compared += first.prisma.length;
          const last = first.prisma.at(-1);
          if (!last) continue;
          // The next page, as keysetPage asks for it.
          const after = { AND: [where, order.after(order.key(last as never))] };
          const next = await bothReads(after, order.orderBy, 6, select);
          expect(next.raw).toEqual(next.prisma);
          compared += next.prisma.length;
        }
      }
    }
    // The data set answered something to compare, types included (a bigint, a date, a JSON object).
    expect(compared).toBeGreaterThan(200);
    const whole = (await bothReads(activeListing.where(), LISTING_ORDERS.NEWEST.orderBy, 40, undefined)).raw as Record<string, unknown>[];
    expect(whole.some((row) => typeof row.priceRonBani === "bigint" && row.publishedAt instanceof Date && (row.attributes as { year?: number }).year)).toBe(true);
  }, 60_000);

  it("leaves a where it does not translate to findMany", () => {
    expect(listingWhereSql({ title: { contains: "x" } })).toBeUndefined();
    expect(listingWhereSql({ status: "ACTIVE", NOT: { county: "B" } })).toBeUndefined();
    expect(listingWhereSql({ description: "x" })).toBeUndefined();
    expect(listingWhereSql({ county: null })).toBeUndefined();
    expect(listingWhereSql({ county: { in: ["B", null] } })).toBeUndefined();
    // Prisma's own reading of empty lists (an empty AND inside an OR matches nothing) stays Prisma's.
    expect(listingWhereSql({ OR: [{ county: "B" }, { AND: [] }] })).toBeUndefined();
    expect(listingWhereSql({ AND: [] })).toBeUndefined();
    expect(listingPageSql({ where: {}, orderBy: [{ title: "asc" }], take: 1 }, undefined)).toBeUndefined();
    expect(listingPageSql({ where: {}, orderBy: [{ publishedAt: "desc", id: "desc" }], take: 1 }, undefined)).toBeUndefined();
  });
});
