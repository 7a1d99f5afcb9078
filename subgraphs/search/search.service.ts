/**
 * Search: a query and a filter checked, then a page of hits and, only when selected, the total and the
 * facets — the counts kept across requests until listings change (SearchService.counts), else in one
 * statement of search-sql.ts with the page, which reads the matches once for all three. Hits name
 * listings by id; the listings subgraph resolves everything else about them.
 */
import { distance } from "fastest-levenshtein";
import { badInput } from "../../lib/errors.ts";
import { decodeCursor, encodeCursor, pageSize } from "../../lib/graphql/pagination.ts";
import { isUuid } from "../../lib/ids.ts";
import type { CatalogFacts } from "./catalog-facts.ts";
import { toFacets, type Facets } from "./facets.ts";
import { bestHighlight } from "./highlight.ts";
import { checkFilter, type SearchFilterInput } from "./search-filter.ts";
import { foldWord, parseQuery, type TextQuery } from "./search-query.ts";
import { gathered } from "./gathered.ts";
import { PurgedCache } from "../../lib/purged-cache.ts";
import {
  compileText,
  searchAnswer,
  searchCounts,
  suggestWords,
  type Answer,
  type CompiledText,
  type Counts,
  type HitRow,
  type PageSpec,
  type RunSql,
  type SearchOrder,
  type SearchSpec,
  type Wanted,
} from "./search-sql.ts";

export interface SearchArgs {
  query?: string | null;
  filter?: SearchFilterInput | null;
  sort?: SearchOrder | null;
  first?: number | null;
  after?: string | null;
}

export interface SearchHit {
  listing: { id: string };
  score: number | null;
  highlight: string | null;
  distanceKm: number | null;
}

export interface SearchEdge {
  cursor: string;
  node: SearchHit;
}

export interface SearchPageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/**
 * Each part loads when asked for; the parts asked for together (GraphQL resolves a selection's fields
 * in one go) load in one statement.
 */
export interface SearchResults {
  edges: () => Promise<SearchEdge[]>;
  pageInfo: () => Promise<SearchPageInfo>;
  totalCount: () => Promise<number>;
  facets: () => Promise<Facets>;
}

export interface Suggestion {
  text: string;
  category: { id: string } | null;
}

export interface SearchSettings {
  eurRonRate: number;
}

/**
 * Where the service hears that listings may have moved in or out of searches (a listing published,
 * edited, sold, deleted or expired, from any process: the `Listing` collection purge of
 * lib/cache-purges.ts, which empties the gateways' cached searches too). Returns the unsubscribe.
 */
export type OnListingsChanged = (listener: () => void) => () => void;

/** A bound on the age of kept counts should a purge message be lost (as the listings subgraph's browse counts). */
const COUNTS_TTL_MS = 10_000;

export const MAX_SUGGESTIONS = 20;
const MAX_PREFIX_LENGTH = 100;
const CATEGORY_SUGGESTIONS = 3;

export class SearchService {
  /**
   * The total and facets of a search, by what its matches depend on: the compiled text (the tsqueries
   * the matches are tested against, as PostgreSQL prints them: "apartament" and "apartamente" share
   * one entry) and the checked filter. Counting every match is most of a search's cost — a search
   * without words counts every listing a filter keeps (all 85,948 active listings of the 100,000 data
   * set for no filter: ~100 ms of PostgreSQL); a common word's 9,089 matches are counted into ~130
   * facet rows on top of being ranked (counted with its page: word p95 27.5 ms through the gateway,
   * the page alone 17.7: bench/results/search-2026-12-03-h8b.md) — and the same searches come back
   * page after page, in every sort. Kept only while `onListingsChanged` is given, until the next purge (any listing
   * published, edited, sold, deleted or expired: the same freshness as browse), or COUNTS_TTL_MS;
   * the page is read each time. At most 500 searches: an entry is ~130 facet rows (~12 kB in V8), so
   * ~6 MB at worst.
   */
  private readonly counts: PurgedCache<string, Counts> | null;
  /**
   * Each query's compiled tsqueries (compileText), by its words, phrases and exclusions: what they
   * compile to depends on the titles' vocabulary and on which words some listing has, which change
   * only with listings — kept and emptied with the counts, whose keys they are. Spares a repeated
   * search the statement (and round trip) before its page.
   */
  private readonly texts: PurgedCache<string, CompiledText> | null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly run: RunSql,
    private readonly catalog: CatalogFacts,
    private readonly settings: SearchSettings,
    onListingsChanged?: OnListingsChanged,
  ) {
    const counts = onListingsChanged ? new PurgedCache<string, Counts>({ max: 500, ttlMs: COUNTS_TTL_MS }) : null;
    const texts = onListingsChanged ? new PurgedCache<string, CompiledText>({ max: 500, ttlMs: COUNTS_TTL_MS }) : null;
    this.counts = counts;
    this.texts = texts;
    this.unsubscribe =
      onListingsChanged?.(() => {
        counts!.clear();
        texts!.clear();
      }) ?? (() => {});
  }

  /** Stops hearing purges (the subgraph's stop). */
  close(): void {
    this.unsubscribe();
  }

  async search(args: SearchArgs): Promise<SearchResults> {
    const size = pageSize(args.first);
    const text = parseQuery(args.query);
    const { where, distances } = await checkFilter(args.filter ?? {}, this.catalog, this.settings.eurRonRate);
    const spec: SearchSpec = { text: text && (await this.compiled(text)), where, distances };
    const order = resolveOrder(args.sort ?? "RELEVANCE", spec);
    const page: PageSpec = { order, size, after: null, at: new Date(), ...(args.after ? readCursor(args.after, order) : {}) };
    const answer = gathered((parts) => this.answer(spec, page, { total: parts.has("totalCount"), facets: parts.has("facets") }));
    let hits: Promise<{ edges: SearchEdge[]; hasNextPage: boolean }> | undefined;
    const loadHits = () =>
      (hits ??= answer("edges").then(({ hits: rows }) => ({
        edges: rows.slice(0, size).map((row) => ({ cursor: writeCursor(order, row, page.at), node: toHit(row, order) })),
        hasNextPage: rows.length > size,
      })));
    return {
      edges: async () => (await loadHits()).edges,
      pageInfo: async () => {
        const { edges, hasNextPage } = await loadHits();
        return { hasNextPage, hasPreviousPage: args.after != null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null };
      },
      totalCount: async () => (await answer("totalCount")).total!,
      facets: async () => {
        const [{ facets }, paths] = await Promise.all([answer("facets"), this.catalog.paths()]);
        return toFacets(facets!, paths);
      },
    };
  }

  private compiled(text: TextQuery): Promise<CompiledText> {
    const compile = () => compileText(this.run, text);
    return this.texts ? this.texts.get(JSON.stringify([text.words, text.phrases, text.excluded]), compile) : compile();
  }

  /**
   * The page, and the counts wanted: kept across requests (read meanwhile, on another connection, when
   * not kept); without kept counts, in one statement with the page.
   */
  private async answer(spec: SearchSpec, page: PageSpec, wanted: Wanted): Promise<Answer> {
    const counts = this.counts;
    if (!counts || (!wanted.total && !wanted.facets)) return searchAnswer(this.run, spec, page, wanted);
    const key = `${wanted.facets ? "facets" : "total"}:${countsKey(spec)}`;
    const [{ hits }, counted] = await Promise.all([
      searchAnswer(this.run, spec, page, { total: false, facets: false }),
      counts.get(key, () => searchCounts(this.run, spec, wanted.facets)),
    ]);
    return { hits, total: counted.total, facets: counted.facets };
  }

  /** Categories whose name has a word starting so, then title words: the last word typed is completed. */
  async suggest(prefix: string, first: number | null | undefined): Promise<Suggestion[]> {
    const limit = first ?? 8;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SUGGESTIONS) {
      throw badInput({ ro: `first e între 1 și ${MAX_SUGGESTIONS}.`, en: `first is between 1 and ${MAX_SUGGESTIONS}.` }, "first", "OUT_OF_RANGE");
    }
    if (prefix.length > MAX_PREFIX_LENGTH) {
      throw badInput({ ro: `Cel mult ${MAX_PREFIX_LENGTH} de caractere.`, en: `At most ${MAX_PREFIX_LENGTH} characters.` }, "prefix", "TOO_LONG");
    }
    const typed = prefix.normalize("NFC").trim().split(/\s+/);
    const folded = foldWord(typed.pop() ?? "");
    if (!folded) return [];
    const lead = typed.join(" ");
    const categories = lead ? [] : await this.categorySuggestions(folded);
    const words = await suggestWords(this.run, folded, limit);
    const taken = new Set(categories.map((c) => c.text.toLowerCase()));
    const completions = words
      .map((w) => ({ text: lead ? `${lead} ${w.display}` : w.display, category: null }))
      .filter((s) => !taken.has(s.text.toLowerCase()));
    return [...categories, ...completions].slice(0, limit);
  }

  /** Categories with a word starting so, then (a prefix of 4 letters or more) with one starting nearly so. */
  private async categorySuggestions(folded: string): Promise<Suggestion[]> {
    const names = await this.catalog.allNames();
    const exact = names.filter((c) => c.words.some((w) => w.startsWith(folded)));
    const near = folded.length < 4 ? [] : names.filter((c) => !exact.includes(c) && c.words.some((w) => nearPrefix(w, folded)));
    return [...exact, ...near].slice(0, CATEGORY_SUGGESTIONS).map((c) => ({ text: c.name, category: { id: c.id } }));
  }
}

/** The start of `word` as long as `prefix` is within 1 edit of it (2 from 6 letters), as suggestWords allows. */
function nearPrefix(word: string, prefix: string): boolean {
  return word[0] === prefix[0] && distance(word.slice(0, prefix.length), prefix) <= (prefix.length >= 6 ? 2 : 1);
}

/**
 * What a search's counts depend on (searchCounts: the matches' conditions): the tsqueries the matches
 * are tested against, the checked filter and the radius — not the page, sort or cursor, nor the
 * scoring and highlighting queries (exact, loose).
 */
function countsKey(spec: SearchSpec): string {
  const text = spec.text && [spec.text.positive, spec.text.found, spec.text.excluded];
  return JSON.stringify([text, spec.where, spec.distances], (_, value: unknown) => (typeof value === "bigint" ? `${value}n` : value));
}

/** RELEVANCE needs words to rank by: without them the newest come first. DISTANCE needs a centre. */
function resolveOrder(sort: SearchOrder, spec: SearchSpec): SearchOrder {
  if (sort === "RELEVANCE" && !spec.text?.positive) return "NEWEST";
  if (sort === "DISTANCE" && !spec.distances) {
    throw badInput({ ro: "Sortarea după distanță cere un centru (filter.near).", en: "Sorting by distance needs a centre (filter.near)." }, "sort", "REQUIRED");
  }
  return sort;
}

/** A cursor: the order it belongs to, the row's sort value and id, and the pagination's fixed "now". */
function writeCursor(order: SearchOrder, row: HitRow, at: Date): string {
  return encodeCursor([order, row.sortValue, row.listingId, at.toISOString()]);
}

function readCursor(cursor: string, order: SearchOrder): Pick<PageSpec, "after" | "at"> {
  const [cursorOrder, value, id, at] = decodeCursor(cursor, 4);
  const time = typeof at === "string" ? new Date(at) : new Date(NaN);
  const valid = cursorOrder === order && (typeof value === "string" || typeof value === "number") && typeof id === "string" && isUuid(id);
  if (!valid || Number.isNaN(time.getTime()) || !sortValueFits(order, value as string | number)) {
    throw badInput({ ro: "Cursor invalid (sau al altei sortări).", en: "Invalid cursor (or one of another sort)." }, "after", "INVALID_FORMAT");
  }
  return { after: { value: value as string | number, id: id as string }, at: time };
}

/** The value must cast to the order's SQL type, or the statement would fail instead of the request. */
function sortValueFits(order: SearchOrder, value: string | number): boolean {
  const text = String(value);
  if (order === "NEWEST") return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(text) && !Number.isNaN(Date.parse(text));
  if (order === "PRICE_ASC" || order === "PRICE_DESC") return /^\d{1,18}$/.test(text);
  return text.length <= 40 && Number.isFinite(Number(text));
}

function toHit(row: HitRow, order: SearchOrder): SearchHit {
  return {
    listing: { id: row.listingId },
    score: order === "RELEVANCE" ? row.score : null,
    highlight: bestHighlight(row.titleMarked, row.descriptionMarked),
    distanceKm: row.km === null ? null : Math.round(row.km * 10) / 10,
  };
}
