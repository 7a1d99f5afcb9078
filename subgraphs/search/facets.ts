/**
 * Facet rows (search-sql.ts) as the schema shapes them. Price steps of a 1-2-5 series are joined into
 * at most PRICE_RANGES ranges holding about as many listings each, so the bounds stay round whatever
 * the category ("0–199 lei", "200–999 lei", "1.000–4.999 lei").
 */
import { findCounty, type County } from "../../lib/locations.ts";
import type { FacetRow } from "./search-sql.ts";

export const PRICE_RANGES = 5;

export interface PriceRange {
  min: number;
  max: number | null;
  count: number;
}

export interface Facets {
  categories: { category: { id: string }; count: number }[];
  counties: { county: County; count: number }[];
  cities: { county: County; city: string; count: number }[];
  conditions: { condition: string; count: number }[];
  priceRanges: PriceRange[];
}

const byCount = <T extends { count: number }>(a: T, b: T) => b.count - a.count;

/**
 * `paths`: each category's ancestors and itself, root first (the catalog's); a category it does not
 * know counts for itself only.
 */
export function toFacets(rows: FacetRow[], paths: ReadonlyMap<string, readonly string[]>): Facets {
  const of = (kind: FacetRow["kind"]) => rows.filter((r) => r.kind === kind);
  const county = (code: string | null) => findCounty(code ?? "");
  const categories = of("category").map((r) => ({ key: (paths.get(r.key ?? "") ?? [r.key]).join(","), count: r.count }));
  return {
    categories: categoryCounts(categories).sort(byCount),
    counties: of("county").flatMap((r) => withCounty(county(r.key), { count: r.count })).sort(byCount),
    cities: of("city").flatMap((r) => withCounty(county(r.key), { city: r.key2!, count: r.count })).sort(byCount),
    conditions: of("condition").map((r) => ({ condition: r.key!, count: r.count })).sort(byCount),
    priceRanges: priceRanges(of("price").map((r) => ({ from: Number(r.key), count: r.count }))),
  };
}

/** Each category path's count added to every category on it: a parent counts its whole subtree. */
export function categoryCounts(paths: Pick<FacetRow, "key" | "count">[]): { category: { id: string }; count: number }[] {
  const counts = new Map<string, number>();
  for (const path of paths) {
    for (const id of path.key?.split(",") ?? []) counts.set(id, (counts.get(id) ?? 0) + path.count);
  }
  return [...counts].map(([id, count]) => ({ category: { id }, count }));
}

/** A row whose county is not in lib/locations (none is written so) is left out rather than failing. */
function withCounty<T>(county: County | undefined, rest: T): (T & { county: County })[] {
  return county ? [{ ...rest, county }] : [];
}

/** Consecutive steps joined until the ranges so far hold their share of the listings. */
export function priceRanges(steps: { from: number; count: number }[]): PriceRange[] {
  const sorted = [...steps].sort((a, b) => a.from - b.from);
  const total = sorted.reduce((sum, s) => sum + s.count, 0);
  const ranges: PriceRange[] = [];
  let current: PriceRange | null = null;
  let counted = 0;
  for (const [i, step] of sorted.entries()) {
    current ??= { min: step.from, max: null, count: 0 };
    current.count += step.count;
    counted += step.count;
    const next = sorted[i + 1];
    if (next && ranges.length < PRICE_RANGES - 1 && counted >= (total * (ranges.length + 1)) / PRICE_RANGES) {
      ranges.push({ ...current, max: next.from - 1 });
      current = null;
    }
  }
  if (current) ranges.push(current);
  return ranges;
}
