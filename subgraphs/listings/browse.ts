/**
 * Browsing: a client's filter turned into a WHERE clause (refusing filters that name nothing), and the
 * keyset orders lists are sorted by.
 */
import { bigintKey, dateKey, keysetOrder, type KeysetOrder } from "../../lib/db/keyset.ts";
import { InputProblems } from "../../lib/errors.ts";
import { ronBaniRange, type PriceRangeInput } from "../../lib/money.ts";
import { isUuid } from "../../lib/ids.ts";
import { checkCounty, checkLocation } from "../../lib/locations.ts";
import type { Prisma } from "../../prisma/generated/client.ts";
import type { Catalog } from "./catalog/catalog.ts";
import type { ListingRow } from "./listing-row.ts";

export type Sort = "NEWEST" | "PRICE_ASC" | "PRICE_DESC";

export interface ListingFilterInput {
  categoryId?: string | null;
  categorySlug?: string | null;
  county?: string | null;
  city?: string | null;
  price?: PriceRangeInput | null;
  condition?: readonly ("NEW" | "USED" | "REFURBISHED")[] | null;
  sellerId?: string | null;
}

/**
 * The filter's conditions, without the "active" condition the caller adds; every part of the filter
 * that names nothing is refused in one BAD_USER_INPUT, each on its "filter.…" field.
 */
export function filterWhere(filter: ListingFilterInput, catalog: Catalog, eurRonRate: number): Prisma.ListingWhereInput {
  const where: Prisma.ListingWhereInput = {};
  const problems = new InputProblems();
  if (filter.categoryId != null || filter.categorySlug != null) {
    const byId = filter.categoryId != null;
    const category = byId ? catalog.get(filter.categoryId!) : catalog.getBySlug(filter.categorySlug!);
    if (category) where.categoryId = { in: catalog.subtreeIds(category) };
    else problems.add(byId ? "filter.categoryId" : "filter.categorySlug", { reason: "NOT_FOUND", message: { ro: "Categoria nu există.", en: "There is no such category." } });
  }
  if (filter.city != null) {
    if (filter.county == null) {
      problems.add("filter.county", {
        reason: "REQUIRED",
        message: { ro: "Alege și județul când filtrezi după oraș.", en: "Give the county too when filtering by city." },
      });
    } else {
      const { location, problems: locationProblems } = checkLocation(filter.county, filter.city, "filter.");
      problems.addAll(locationProblems);
      if (location) {
        where.county = location.county.code;
        where.city = location.city;
      }
    }
  } else if (filter.county != null) {
    const { county, problem } = checkCounty(filter.county);
    problems.add("filter.county", problem);
    if (county) where.county = county.code;
  }
  if (filter.price) {
    const range = ronBaniRange(filter.price, eurRonRate, problems, "filter.price");
    if (range) where.priceRonBani = range;
  }
  if (filter.condition?.length) where.condition = { in: [...filter.condition] };
  if (filter.sellerId != null) {
    if (isUuid(filter.sellerId)) where.sellerId = filter.sellerId;
    else problems.add("filter.sellerId", { reason: "NOT_FOUND", message: { ro: "Vânzătorul nu există.", en: "There is no such seller." } });
  }
  problems.throwIfAny();
  return where;
}

/** Keyset orders: each sorts by one column then id, and its cursor is exactly that pair. */
export const LISTING_ORDERS: Record<Sort | "CREATED", KeysetOrder<ListingRow>> = {
  NEWEST: keysetOrder("publishedAt", "desc", (l: ListingRow) => l.publishedAt, dateKey),
  CREATED: keysetOrder("createdAt", "desc", (l: ListingRow) => l.createdAt, dateKey),
  PRICE_ASC: keysetOrder("priceRonBani", "asc", (l: ListingRow) => l.priceRonBani, bigintKey),
  PRICE_DESC: keysetOrder("priceRonBani", "desc", (l: ListingRow) => l.priceRonBani, bigintKey),
};
