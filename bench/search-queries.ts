/**
 * What bench/search.ts sends: typical searches picked from the seeded data (titles like "Apartament 2
 * camere de vânzare, Cluj-Napoca, 55 mp", "Dacia Logan 2015, 135.000 km, fără accidente", "Mobilă,
 * bine întreținut": subgraphs/listings/demo-text.ts), each with and without a category, a radius
 * search, and completions. The same kind is sent to the gateway (the public API), to the search
 * subgraph's own URL (listings by key only: the listings subgraph is not asked) and to SearchService in
 * process (bench/search-service.ts).
 */
import type { SearchFilterInput } from "../subgraphs/search/search-filter.ts";
import type { SearchOrder } from "../subgraphs/search/search-sql.ts";
import { post } from "./harness.ts";

export type KindName =
  | "word"
  | "word+cat"
  | "two-words"
  | "two-words+cat"
  | "typo"
  | "typo+cat"
  | "phrase"
  | "phrase+cat"
  | "radius+cat"
  | "browse"
  | "browse-cold"
  | "word-cold"
  | "suggest-3"
  | "suggest-4"
  | "suggest-5"
  | "suggest-typo";

export interface SearchKind {
  name: KindName;
  family: "search" | "suggest";
  label: string;
  search?: { query?: string; filter?: SearchFilterInput; sort?: SearchOrder };
  suggest?: { prefix: string };
  /**
   * Each request a filter of its own that keeps the same listings (a price bound above every price,
   * lowered by one ban per request): what the search subgraph keeps by filter (the counts of a search
   * without words) never answers it, so it measures a browse whose counts must be read.
   */
  distinct?: boolean;
}

/**
 * "apartament": ~9 % of titles (2nd most common noun after the condition words); "dacia logan": two
 * words both common among cars; "aparatment": "apartament" with two letters swapped; "bine
 * întreținut": a condition phrase of many titles. Categories by slug, as an app sends them.
 */
export const KINDS: SearchKind[] = [
  { name: "word", family: "search", label: "apartament", search: { query: "apartament" } },
  {
    name: "word-cold",
    family: "search",
    label: "apartament, each request a filter of its own keeping every match (counts never kept)",
    search: { query: "apartament" },
    distinct: true,
  },
  { name: "word+cat", family: "search", label: "apartament · imobiliare", search: { query: "apartament", filter: { categorySlug: "imobiliare" } } },
  { name: "two-words", family: "search", label: "dacia logan", search: { query: "dacia logan" } },
  { name: "two-words+cat", family: "search", label: "dacia logan · autoturisme", search: { query: "dacia logan", filter: { categorySlug: "autoturisme" } } },
  { name: "typo", family: "search", label: "aparatment (typo)", search: { query: "aparatment" } },
  { name: "typo+cat", family: "search", label: "aparatment · imobiliare", search: { query: "aparatment", filter: { categorySlug: "imobiliare" } } },
  { name: "phrase", family: "search", label: '"bine întreținut"', search: { query: '"bine întreținut"' } },
  { name: "phrase+cat", family: "search", label: '"bine întreținut" · casa-gradina', search: { query: '"bine întreținut"', filter: { categorySlug: "casa-gradina" } } },
  {
    name: "radius+cat",
    family: "search",
    label: "30 km of Cluj-Napoca · apartamente-de-vanzare · DISTANCE",
    search: { filter: { categorySlug: "apartamente-de-vanzare", near: { county: "CJ", city: "Cluj-Napoca", radiusKm: 30 } }, sort: "DISTANCE" },
  },
  { name: "browse", family: "search", label: "no words, newest first: facets over every listing", search: { sort: "NEWEST" } },
  {
    name: "browse-cold",
    family: "search",
    label: "browse, each request a filter of its own keeping every listing (counts never kept)",
    search: { sort: "NEWEST" },
    distinct: true,
  },
  { name: "suggest-3", family: "suggest", label: "apa", suggest: { prefix: "apa" } },
  { name: "suggest-4", family: "suggest", label: "tele", suggest: { prefix: "tele" } },
  { name: "suggest-5", family: "suggest", label: "bicic", suggest: { prefix: "bicic" } },
  { name: "suggest-typo", family: "suggest", label: "bicilc (typo)", suggest: { prefix: "bicilc" } },
];

export const KIND_NAMES = KINDS.map((k) => k.name);

const FACETS = "facets { categories { count } counties { count } cities { count } conditions { count } priceRanges { count } }";

/** The public API: the page's listings resolved by the listings subgraph. */
const SEARCH_GATEWAY = `query Search($query: String, $filter: SearchFilter, $sort: SearchSort) {
  search(query: $query, filter: $filter, sort: $sort, first: 20) {
    totalCount ${FACETS}
    edges { node { listing { id title price { formatted } } highlight distanceKm } }
  }
}`;

/** The search subgraph alone: listings by key. */
const SEARCH_SUBGRAPH = SEARCH_GATEWAY.replace("listing { id title price { formatted } }", "listing { id }");

const SUGGEST = `query Suggest($prefix: String!) { suggest(prefix: $prefix, first: 8) { text category { id } } }`;

export type HttpTarget = "gateway" | "subgraph";

/** Above every price of the seeded data (bani; GraphQL's Int is 32 bits). */
const DISTINCT_PRICE_MAX = 2_000_000_000;

/** A search kind's arguments; `n` (the request's number) makes a `distinct` kind's filter its own. */
export function searchArgs(kind: SearchKind, n = 0): { query: string | null; filter: SearchFilterInput | null; sort: SearchOrder } {
  const { query = null, sort = "RELEVANCE" } = kind.search!;
  let filter = kind.search!.filter ?? null;
  if (kind.distinct) filter = { ...filter, price: { max: DISTINCT_PRICE_MAX - n } };
  return { query, filter, sort };
}

/** The request's body; `n` as searchArgs's. */
export function requestBody(kind: SearchKind, target: HttpTarget, n = 0): string {
  if (kind.suggest) return JSON.stringify({ query: SUGGEST, variables: { prefix: kind.suggest.prefix } });
  return JSON.stringify({ query: target === "gateway" ? SEARCH_GATEWAY : SEARCH_SUBGRAPH, variables: searchArgs(kind, n) });
}

/**
 * A `distinct` kind's requests are numbered across the whole run, not per cell: a cell that began
 * again at 1 would find the counts of the cell before it still kept (COUNTS_TTL_MS), as 16-client
 * cells of browse-cold and word-cold did until 2026-12-03 (h51).
 */
let distinctRequests = 0;

/** Every request's body, or a function of the request's number for a `distinct` kind. */
export function requestBodies(kind: SearchKind, target: HttpTarget): string | (() => string) {
  return kind.distinct ? () => requestBody(kind, target, ++distinctRequests) : requestBody(kind, target);
}

export interface Answer {
  /** search: totalCount; suggest: completions. */
  count: number;
  /** The first hit's title (gateway) or highlight, or the first completion. */
  sample: string | null;
}

/** Fails loudly unless the kind answers 200 with data, no errors and at least one hit. */
export async function checkKind(url: string, kind: SearchKind, target: HttpTarget, headers: Record<string, string> = {}): Promise<Answer> {
  const reply = await post(url, requestBody(kind, target), headers);
  const data = reply.json.data as
    | {
        search?: { totalCount: number; edges: { node: { listing: { title?: string }; highlight: string | null } }[] };
        suggest?: { text: string }[];
      }
    | undefined;
  const answer: Answer | undefined = data?.search
    ? { count: data.search.totalCount, sample: data.search.edges[0]?.node.listing.title ?? data.search.edges[0]?.node.highlight ?? null }
    : data?.suggest
      ? { count: data.suggest.length, sample: data.suggest[0]?.text ?? null }
      : undefined;
  if (reply.status !== 200 || reply.json.errors?.length || !answer || answer.count === 0) {
    throw new Error(`${kind.name} (${target}) at ${url}: ${reply.status} ${JSON.stringify(reply.json).slice(0, 2000)}`);
  }
  return answer;
}
