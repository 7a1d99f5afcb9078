/**
 * Browsing: a client's filter turned into a WHERE clause (refusing filters that name nothing), and the
 * keyset orders lists are sorted by.
 */
import { bigintKey, dateKey, keysetOrder, type KeysetOrder } from "../../lib/db/keyset.ts";
import { badInput } from "../../lib/errors.ts";
import { isUuid } from "../../lib/ids.ts";
import { requireCounty, requireLocation } from "../../lib/locations.ts";
import type { Prisma } from "../../prisma/generated/client.ts";
import type { Catalog } from "./catalog/catalog.ts";
import type { ListingRow } from "./listing-row.ts";
import { toRonBani } from "./listing-rules.ts";

export type Sort = "NEWEST" | "PRICE_ASC" | "PRICE_DESC";

export interface ListingFilterInput {
  categoryId?: string | null;
  categorySlug?: string | null;
  county?: string | null;
  city?: string | null;
  price?: { min?: number | null; max?: number | null; currency?: "RON" | "EUR" | null } | null;
  condition?: readonly ("NEW" | "USED" | "REFURBISHED")[] | null;
  sellerId?: string | null;
}

/** The filter's conditions, without the "active" condition the caller adds. */
export function filterWhere(filter: ListingFilterInput, catalog: Catalog, eurRonRate: number): Prisma.ListingWhereInput {
  const where: Prisma.ListingWhereInput = {};
  if (filter.categoryId != null || filter.categorySlug != null) {
    const category = filter.categoryId != null ? catalog.get(filter.categoryId) : catalog.getBySlug(filter.categorySlug!);
    if (!category) throw badInput("Categoria nu există.", "filter.categoryId");
    where.categoryId = { in: catalog.subtreeIds(category) };
  }
  if (filter.city != null) {
    if (filter.county == null) throw badInput("Alege și județul când filtrezi după oraș.", "filter.county");
    const location = requireLocation(filter.county, filter.city, "filter.");
    where.county = location.county.code;
    where.city = location.city;
  } else if (filter.county != null) {
    where.county = requireCounty(filter.county, "filter.").code;
  }
  if (filter.price) where.priceRonBani = priceRange(filter.price, eurRonRate);
  if (filter.condition?.length) where.condition = { in: [...filter.condition] };
  if (filter.sellerId != null) {
    if (!isUuid(filter.sellerId)) throw badInput("Vânzătorul nu există.", "filter.sellerId");
    where.sellerId = filter.sellerId;
  }
  return where;
}

function priceRange(price: NonNullable<ListingFilterInput["price"]>, eurRonRate: number): Prisma.BigIntFilter {
  const { min, max } = price;
  const currency = price.currency ?? "RON";
  if ((min != null && min < 0) || (max != null && max < 0)) throw badInput("Prețul nu poate fi negativ.", "filter.price");
  if (min != null && max != null && min > max) throw badInput("Prețul minim e mai mare decât cel maxim.", "filter.price");
  return {
    ...(min != null ? { gte: toRonBani(min, currency, eurRonRate) } : {}),
    ...(max != null ? { lte: toRonBani(max, currency, eurRonRate) } : {}),
  };
}

/** Keyset orders: each sorts by one column then id, and its cursor is exactly that pair. */
export const LISTING_ORDERS: Record<Sort | "CREATED", KeysetOrder<ListingRow>> = {
  NEWEST: keysetOrder("publishedAt", "desc", (l: ListingRow) => l.publishedAt, dateKey),
  CREATED: keysetOrder("createdAt", "desc", (l: ListingRow) => l.createdAt, dateKey),
  PRICE_ASC: keysetOrder("priceRonBani", "asc", (l: ListingRow) => l.priceRonBani, bigintKey),
  PRICE_DESC: keysetOrder("priceRonBani", "desc", (l: ListingRow) => l.priceRonBani, bigintKey),
};
