/**
 * What a listing is worth, from comparable active listings: same category subtree, similar title
 * words and attribute values, nearby first. Filters are relaxed one at a time, in a fixed order, until
 * enough comparables are left, and the estimate says which were relaxed. Shared by suggestPrice, the
 * pricer agent and the moderator (a price far below its comparables).
 *
 * Prices are compared in RON through the listing's normalised column (priceRonBani: EUR at the fixed
 * rate), so RON and EUR listings are comparables of each other.
 */
import DataLoader from "dataloader";
import type { PrismaClient } from "../../../lib/db/database.ts";
import { sqlFor, type Sql } from "../runtime/sql.ts";
import { categoryTree } from "./categories.ts";
import { contentWords, fold } from "./text.ts";

export interface PriceQuery {
  categoryId: number;
  title?: string | null;
  /** The listing's attributes as stored (numbers, strings, booleans by key). */
  attributes?: Record<string, unknown> | null;
  /** A county code ("CJ") and a city of it, as listings store them. */
  county?: string | null;
  city?: string | null;
  /** The listing being priced, when it is one: never its own comparable. */
  excludeListingId?: string | null;
}

/** The filters, in the order they are relaxed. */
export const RELAX_ORDER = ["CITY", "COUNTY", "ATTRIBUTES", "TITLE", "CATEGORY"] as const;
export type PriceFilter = (typeof RELAX_ORDER)[number];

export interface PriceEstimate {
  /** Whole lei: the comparables' 25th percentile, median and 75th percentile. */
  low: number;
  median: number;
  high: number;
  currency: "RON";
  basis: {
    comparables: number;
    /** The filters dropped to find enough comparables, in the order they were dropped. */
    relaxed: PriceFilter[];
    /** Where the comparables are: the same city, the same county, or anywhere. */
    scope: "CITY" | "COUNTY" | "COUNTRY";
    /** The category whose subtree they are in: the query's, or its parent when CATEGORY was relaxed. */
    categoryId: number;
  };
}

export interface Comparable {
  id: string;
  priceRon: number;
  title: string;
  attributes: Record<string, unknown>;
  county: string;
  city: string;
}

/** Fewer comparables than this and the next filter is relaxed. */
export const ENOUGH = 5;
/**
 * The newest listings of a subtree that are compared (and as many again of the query's county). Was
 * 1,000: half the rows cut an estimate's CPU by 30 % (11.7 → 8.2 ms, node + PostgreSQL, at 100,000
 * listings), and 500 recent prices still give quartiles; the cost is fewer matches found in a small
 * city before a filter is relaxed.
 */
const POOL = 500;
/** Title words compared: the first ones name the thing. */
const TITLE_WORDS = 8;
const ATTRIBUTES_COMPARED = 10;

/**
 * The estimate for a listing, or null when no active listing of its category (or its parent's) compares.
 * Its reads are plain SQL: through `db.sql` when given (runtime/sql.ts: the moderator in a worker that
 * never loads Prisma's query compiler), Prisma's raw SQL otherwise.
 */
export async function estimatePrice(db: { prisma: PrismaClient; sql?: Sql }, query: PriceQuery): Promise<PriceEstimate | null> {
  const sql = sqlFor(db);
  const tree = await categoryTree(sql);
  const category = tree.get(query.categoryId);
  if (!category) return null;
  const own = rangeFrom(await comparables(sql, tree.subtree(category.id), query), query);
  if (own) return { ...own, basis: { ...own.basis, categoryId: category.id } };
  if (category.parentId === null) return null;
  const wider = await comparables(sql, tree.subtree(category.parentId), query);
  return wider.length ? estimate(wider, [...activeFilters(query), "CATEGORY"], "COUNTRY", category.parentId) : null;
}

/**
 * The estimate from one category subtree's listings: the strictest filters that leave ENOUGH of them,
 * or, when none do, every filter relaxed (null when there is no comparable at all).
 */
export function rangeFrom(pool: readonly Comparable[], query: PriceQuery): PriceEstimate | null {
  if (!pool.length) return null;
  const filters = activeFilters(query);
  const tests = matchers(query);
  let found: Comparable[] = [];
  let relaxedCount = 0;
  for (; relaxedCount <= filters.length; relaxedCount++) {
    const kept = filters.slice(relaxedCount);
    found = pool.filter((c) => kept.every((f) => tests[f]!(c)));
    if (found.length >= ENOUGH) break;
  }
  relaxedCount = Math.min(relaxedCount, filters.length);
  const kept = filters.slice(relaxedCount);
  const scope = kept.includes("CITY") ? "CITY" : kept.includes("COUNTY") ? "COUNTY" : "COUNTRY";
  return estimate(found, filters.slice(0, relaxedCount), scope, query.categoryId);
}

/** The filters the query gives something for, in RELAX_ORDER (CATEGORY apart: it changes the pool). */
function activeFilters(query: PriceQuery): PriceFilter[] {
  const given: Record<PriceFilter, boolean> = {
    CITY: Boolean(query.county && query.city),
    COUNTY: Boolean(query.county),
    ATTRIBUTES: comparedAttributes(query.attributes).length > 0,
    TITLE: titleWords(query.title ?? "").length > 0,
    CATEGORY: false,
  };
  return RELAX_ORDER.filter((f) => given[f]);
}

function matchers(query: PriceQuery): Partial<Record<PriceFilter, (c: Comparable) => boolean>> {
  const words = titleWords(query.title ?? "");
  // At least half of the query's title words: "Dacia Logan dCi" finds "Dacia Logan 2016, 148.000 km".
  const needed = Math.ceil(words.length / 2);
  const attributes = comparedAttributes(query.attributes);
  const city = fold(query.city ?? "");
  // Each relaxation filters the pool again: a comparable's title is cut into words once, not per pass.
  const stems = new Map<Comparable, Set<string>>();
  const stemsOf = (c: Comparable) => stems.get(c) ?? stems.set(c, new Set(titleWords(c.title))).get(c)!;
  return {
    CITY: (c) => c.county === query.county && fold(c.city) === city,
    COUNTY: (c) => c.county === query.county,
    TITLE: (c) => {
      const theirs = stemsOf(c);
      return words.filter((w) => theirs.has(w)).length >= needed;
    },
    ATTRIBUTES: (c) => attributes.every(([key, value]) => !(key in c.attributes) || similar(key, value, c.attributes[key])),
  };
}

/** Title words cut to a stem, so "apartament" meets "apartamente". */
function titleWords(title: string): string[] {
  return [...new Set(contentWords(title, TITLE_WORDS).map((w) => w.slice(0, 6)))];
}

function comparedAttributes(attributes: Record<string, unknown> | null | undefined): [string, number | string][] {
  return Object.entries(attributes ?? {})
    .filter((entry): entry is [string, number | string] => (typeof entry[1] === "number" && Number.isFinite(entry[1])) || (typeof entry[1] === "string" && entry[1].trim() !== ""))
    .slice(0, ATTRIBUTES_COMPARED);
}

/**
 * Two values of one attribute, alike for a price: the same text; years within 2; small counts (rooms,
 * up to 10) equal; other numbers (km, area, power) within 30 % of each other.
 */
export function similar(key: string, mine: number | string, theirs: unknown): boolean {
  if (typeof mine === "string") return typeof theirs === "string" && fold(theirs.trim()) === fold(mine.trim());
  if (typeof theirs !== "number") return false;
  if (/year/i.test(key)) return Math.abs(mine - theirs) <= 2;
  if (Number.isInteger(mine) && Math.abs(mine) <= 10) return mine === theirs;
  return Math.abs(mine - theirs) <= 0.3 * Math.max(Math.abs(mine), Math.abs(theirs));
}

function estimate(found: readonly Comparable[], relaxed: PriceFilter[], scope: PriceEstimate["basis"]["scope"], categoryId: number): PriceEstimate | null {
  if (!found.length) return null;
  const prices = found.map((c) => c.priceRon).sort((a, b) => a - b);
  return {
    low: Math.round(quantile(prices, 0.25)),
    median: Math.round(quantile(prices, 0.5)),
    high: Math.round(quantile(prices, 0.75)),
    currency: "RON",
    basis: { comparables: found.length, relaxed, scope, categoryId },
  };
}

/** Linear interpolation between the closest ranks (numpy's default), on sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** What one read of comparables is about: a category subtree, a county (or none), a listing to leave out. */
interface PoolKey {
  categoryIds: number[];
  county: string | null;
  excludeListingId: string | null;
}

/**
 * The comparables asked for in the same turn, read in one statement: a batch of moderator runs starts
 * together, and each read was its own statement (a round trip, a parse and a plan, Prisma's work per
 * call). Each estimate keeps its own branch of the statement, planned with its own values as before;
 * the same pool asked twice is read once.
 */
const poolLoaders = new WeakMap<Sql, DataLoader<PoolKey, Comparable[], string>>();

function comparables(sql: Sql, categoryIds: number[], query: PriceQuery): Promise<Comparable[]> {
  let loader = poolLoaders.get(sql);
  if (!loader) {
    const created = new DataLoader<PoolKey, Comparable[], string>((keys) => readPools(sql, keys), { cache: false, cacheKeyFn: (k) => JSON.stringify(k) });
    poolLoaders.set(sql, created);
    loader = created;
  }
  return loader.load({ categoryIds, county: query.county || null, excludeListingId: query.excludeListingId ?? null });
}

async function readPools(sql: Sql, keys: readonly PoolKey[]): Promise<Comparable[][]> {
  const distinct = [...new Map(keys.map((k) => [JSON.stringify(k), k])).values()];
  const values: unknown[] = [];
  const branches = distinct.map((key, i) => `SELECT ${i}::int AS pool, p.* FROM (${poolSql(key, values)}) p`);
  const rows = await sql<PoolRow & { pool: number }>(branches.join(" UNION ALL "), values);
  const pools = distinct.map(() => new Map<string, Comparable>());
  for (const row of rows) {
    const attributes = row.attributes && typeof row.attributes === "object" ? (row.attributes as Record<string, unknown>) : {};
    pools[row.pool]!.set(row.id, { id: row.id, priceRon: Number(row.priceRonBani) / 100, title: row.title, attributes, county: row.county, city: row.city });
  }
  const byKey = new Map(distinct.map((key, i) => [JSON.stringify(key), [...pools[i]!.values()]]));
  return keys.map((k) => byKey.get(JSON.stringify(k))!);
}

interface PoolRow {
  id: string;
  /** int8: a string from node-postgres, a bigint from Prisma; Number() takes either. */
  priceRonBani: bigint | string;
  title: string;
  attributes: unknown;
  county: string;
  city: string;
}

/**
 * The newest active listings of the subtree, and the newest of the query's county among them: SQL text
 * whose parameters are appended to `values` ($n numbered after those already there).
 */
function poolSql({ categoryIds, county, excludeListingId }: PoolKey, values: unknown[]): string {
  const param = (value: unknown) => `$${values.push(value)}`;
  const notItself = excludeListingId ? `AND id <> ${param(excludeListingId)}::uuid` : "";
  // A leaf category (most listings' own) by equality: then the newest come straight from the
  // (categoryId, status, publishedAt) index. With `= ANY` PostgreSQL walked every active listing by
  // date and filtered (measured at 100,000 listings, the largest category: 10–16 ms vs 52–130 ms).
  const inSubtree = categoryIds.length === 1 ? `"categoryId" = ${param(categoryIds[0])}::int` : `"categoryId" = ANY(${param(categoryIds)}::int[])`;
  const active = `
    SELECT id, "priceRonBani", title, attributes, county, city FROM "Listing"
    WHERE status = 'ACTIVE' AND ("expiresAt" IS NULL OR "expiresAt" > now()) AND ${inSubtree} ${notItself}`;
  const nearby = county ? `UNION ALL (${active} AND county = ${param(county)}::text ORDER BY "publishedAt" DESC LIMIT ${POOL})` : "";
  return `(${active} ORDER BY "publishedAt" DESC LIMIT ${POOL}) ${nearby}`;
}
