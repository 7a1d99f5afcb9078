/**
 * Every SQL statement of search, the one place with raw SQL: Prisma has no full-text search, ranking,
 * trigram or aggregate-over-unnest API. Statements are composed from fixed fragments (Prisma.sql), user
 * values only ever bound as parameters. The same SQL runs on PGlite and PostgreSQL; the text-search
 * configuration, search_fold and the tsquery aggregates come from the search migration.
 */
import type { Database, PrismaClient } from "../../lib/db/database.ts";
import type { RonBaniRange } from "../../lib/money.ts";
import { Prisma } from "../../prisma/generated/client.ts";
import type { TextQuery } from "./search-query.ts";

type Sql = Prisma.Sql;
const { sql, join, empty, raw } = Prisma;

/** Runs one statement, giving its rows (typed by the caller: the statements' columns are ours). */
export type RunSql = <T>(statement: Sql) => Promise<T[]>;

/** Through Prisma: in its transactions, counted by its statement counter (saved-search alerts). */
export const viaPrisma =
  (prisma: PrismaClient): RunSql =>
  <T>(statement: Sql) =>
    prisma.$queryRaw<T[]>(statement);

/**
 * Through the database's own driver (node-postgres or PGlite: Database.executeSql), for the reads
 * of search and completions: Prisma's raw-query path cost 1.2–3 ms of CPU per statement more
 * (`SELECT 1`, 100,000-listing benchmark machine), about the whole cost of a completion. Every
 * statement here reads numbers, text and json only, which both drivers parse alike.
 */
export const viaDriver =
  (db: Pick<Database, "executeSql">): RunSql =>
  async <T>(statement: Sql) =>
    (await db.executeSql(statement.text, statement.values)).rows as T[];

export type AttributeCondition =
  | { key: string; kind: "range"; min?: number; max?: number }
  | { key: string; kind: "anyOf"; values: string[] }
  | { key: string; kind: "equals"; value: boolean };

export interface Place {
  county: string;
  city: string;
}

/** A checked filter: every value names something that exists. */
export interface SearchConditions {
  categoryId?: number;
  /** The category and the categories below it (the catalog's), when known: a place filter's index takes them. */
  categorySubtree?: number[];
  /** The category's top-level category, when known: the partition key of the index (its listings are in one partition). */
  rootCategoryId?: number;
  county?: string;
  city?: string;
  price?: RonBaniRange;
  conditions?: string[];
  sellerId?: string;
  /** The cities within the radius (an empty list finds nothing). */
  withinCities?: Place[];
  postedWithinDays?: number;
  attributes?: AttributeCondition[];
  /** Only these listings (a saved search matched against new ones). */
  listingIds?: string[];
}

/** Each city's distance from the centre, for DISTANCE and distanceKm. */
export type Distances = (Place & { km: number })[];

export type SearchOrder = "RELEVANCE" | "NEWEST" | "PRICE_ASC" | "PRICE_DESC" | "DISTANCE";

/** A query's tsqueries as text (compileText), bound as constants: the planner then uses the GIN index. */
export interface CompiledText {
  /** Every word and phrase as written; "" when the query has only exclusions. */
  exact: string;
  /** Each word or a near-spelling of it, and the phrases. */
  loose: string;
  /**
   * loose without the typed words no listing has (a typo: `aparatment` of `'aparatment' | 'apartament'`):
   * the same matches, each tested for one lexeme fewer. loose itself still ranks and highlights, so the
   * scores are loose's.
   */
  found: string;
  /** A typed word no listing has: nothing has every exact word (the exact test is 0 for every match). */
  exactAbsent: boolean;
  /** Any excluded word or phrase; "" when none. */
  excluded: string;
  /** Words or phrases to find (else the query only excludes). */
  positive: boolean;
}

export interface SearchSpec {
  text: CompiledText | null;
  where: SearchConditions;
  distances: Distances | null;
}

export interface PageSpec {
  order: SearchOrder;
  size: number;
  /** The sort value and id of the last row of the previous page. */
  after: { value: string | number; id: string } | null;
  /** The freshness boost's "now", fixed for a whole pagination so scores do not drift between pages. */
  at: Date;
}

export interface HitRow {
  listingId: string;
  score: number | null;
  km: number | null;
  /** The row's value of the sort column, as the cursor carries it. */
  sortValue: string | number;
  titleMarked: string | null;
  descriptionMarked: string | null;
}

/** Private-use characters around matched words in ts_headline's output; stripped from the input first. */
export const MARK_START = "\uE000";
export const MARK_END = "\uE001";

const SIMILAR_KNOWN = 0.5;
const SIMILAR_UNKNOWN = 0.35;
const FRESHNESS_SECONDS = 30 * 24 * 3600;

// ---- text -----------------------------------------------------------------------------------------

/**
 * The query's tsqueries: exact — every word and phrase as written (stemmed, unaccented); loose — each
 * word or one of up to 3 vocabulary words spelled like it (looser for a word no title has: a typo,
 * strict for a known one), and the phrases; found — loose without the typed words that no listing
 * has (looked up in the index: a typo's own spelling usually), which the matches are tested against;
 * excluded — any excluded word or phrase. One statement,
 * before the search's: as bound constants the match is an index scan (a tsquery from a joined CTE, or
 * behind an OR, made the planner scan the whole table).
 */
export async function compileText(run: RunSql, text: TextQuery): Promise<CompiledText> {
  const [row] = await run<{ exact: string; loose: string; found: string; exactAbsent: boolean; excluded: string }>(sql`
    WITH terms AS (
      SELECT t.i, t.term, search_fold(t.term) AS folded FROM unnest(${text.words}::text[]) WITH ORDINALITY AS t(term, i)
    ),
    alternatives AS (
      SELECT terms.i, w.word FROM terms CROSS JOIN LATERAL (
        SELECT sw.word FROM "SearchWord" sw
        WHERE length(terms.folded) >= 4 AND sw.word % terms.folded AND sw."docCount" > 0 AND sw.word <> terms.folded
          AND similarity(sw.word, terms.folded) >= CASE
            WHEN EXISTS (SELECT 1 FROM "SearchWord" k WHERE k.word = terms.folded AND k."docCount" > 0) THEN ${SIMILAR_KNOWN}::float8
            ELSE ${SIMILAR_UNKNOWN}::float8 END
        ORDER BY similarity(sw.word, terms.folded) DESC, sw."docCount" DESC, sw.word
        LIMIT 3
      ) w
    ),
    absent AS (
      SELECT terms.i FROM terms
      WHERE EXISTS (SELECT 1 FROM alternatives a WHERE a.i = terms.i) AND numnode(plainto_tsquery('search_ro', terms.term)) > 0
        AND NOT EXISTS (SELECT 1 FROM "SearchDocument" d WHERE d.document @@ plainto_tsquery('search_ro', terms.term))
    ),
    phrases AS (
      SELECT coalesce(search_all(phraseto_tsquery('search_ro', p)), ''::tsquery) AS query FROM unnest(${text.phrases}::text[]) AS p
    )
    SELECT
      (coalesce((SELECT search_all(plainto_tsquery('search_ro', term)) FROM terms), ''::tsquery) && phrases.query)::text AS exact,
      (coalesce((
        SELECT search_all(plainto_tsquery('search_ro', terms.term) || coalesce(
          (SELECT search_any(plainto_tsquery('search_ro', a.word)) FROM alternatives a WHERE a.i = terms.i), ''::tsquery))
        FROM terms
      ), ''::tsquery) && phrases.query)::text AS loose,
      (coalesce((
        SELECT search_all(CASE WHEN terms.i IN (SELECT i FROM absent) THEN ''::tsquery ELSE plainto_tsquery('search_ro', terms.term) END || coalesce(
          (SELECT search_any(plainto_tsquery('search_ro', a.word)) FROM alternatives a WHERE a.i = terms.i), ''::tsquery))
        FROM terms
      ), ''::tsquery) && phrases.query)::text AS found,
      EXISTS (SELECT 1 FROM absent) AS "exactAbsent",
      coalesce((SELECT search_any(plainto_tsquery('search_ro', x)) FROM unnest(${text.excluded}::text[]) AS x), ''::tsquery)::text AS excluded
    FROM phrases`);
  return { ...row!, positive: text.words.length + text.phrases.length > 0 };
}

/** A query of only stop words ("de", "și") finds nothing: `@@` an empty tsquery is false. */
function textMatch(text: CompiledText): Sql {
  return join(
    [
      ...(text.positive ? [sql`d.document @@ ${text.found}::tsquery`] : []),
      ...(text.excluded ? [sql`NOT (d.document @@ ${text.excluded}::tsquery)`] : []),
      sql`TRUE`,
    ],
    " AND ",
  );
}

/**
 * Exact words count 1, the rank 0.8 at most, freshness 0.2 at most. When the exact query is the loose
 * one (no near-spellings found), every match has it: 1 without testing each document again. The
 * freshness in float8 all the way, from the stored epoch of publishedAt and "now"'s, bound: one
 * subtraction per match (timestamp - timestamp and date_part() of the interval cost ~1 ms of a common
 * word's ~8; bench/results/search-2026-12-03-h55-summary.md). Both epochs are milliseconds ÷ 1000
 * rounded once, so their difference is the age to float rounding, as before.
 */
function score(text: CompiledText, at: Date): Sql {
  const exact =
    !text.exact || text.exactAbsent ? sql`0` : text.exact === text.loose ? sql`1` : sql`(CASE WHEN d.document @@ ${text.exact}::tsquery THEN 1 ELSE 0 END)`;
  const rank = text.loose ? sql`ts_rank(d.document, ${text.loose}::tsquery, 32)` : sql`0`;
  return sql`(
    ${exact} + 0.8 * ${rank}
    + 0.2 / (1 + greatest(0, ${at.getTime() / 1000}::float8 - d."publishedEpoch") / ${FRESHNESS_SECONDS}::float8)
  )::float8`;
}

// ---- filter ---------------------------------------------------------------------------------------

function conditions(spec: SearchSpec): Sql {
  const w = spec.where;
  const list: Sql[] = [sql`(d."expiresAt" IS NULL OR d."expiresAt" > now())`];
  if (spec.text) list.push(textMatch(spec.text));
  if (w.categoryId !== undefined) list.push(categoryCondition(w, spec.text?.positive ?? false));
  if (w.county !== undefined) list.push(sql`d.county = ${w.county}`);
  if (w.city !== undefined) list.push(sql`d.city = ${w.city}`);
  if (w.price?.gte !== undefined) list.push(sql`d."priceRonBani" >= ${w.price.gte}::bigint`);
  if (w.price?.lte !== undefined) list.push(sql`d."priceRonBani" <= ${w.price.lte}::bigint`);
  if (w.conditions?.length) list.push(sql`d.condition::text = ANY(${w.conditions}::text[])`);
  if (w.sellerId !== undefined) list.push(sql`d."sellerId" = ${w.sellerId}::uuid`);
  if (w.postedWithinDays !== undefined) list.push(sql`d."publishedAt" >= now() - make_interval(days => ${w.postedWithinDays}::int)`);
  if (w.withinCities) {
    const counties = w.withinCities.map((c) => c.county);
    const cities = w.withinCities.map((c) => c.city);
    list.push(sql`(d.county, d.city) IN (SELECT * FROM unnest(${counties}::text[], ${cities}::text[]))`);
  }
  for (const attribute of w.attributes ?? []) list.push(attributeCondition(attribute));
  if (w.listingIds) list.push(sql`d."listingId" = ANY(${w.listingIds}::uuid[])`);
  return join(list, " AND ");
}

/**
 * The category's subtree. With a place, as the listing's own category among the subtree's: the index
 * on (county, city, categoryId) then reads only the rows of both (a radius in a category read every
 * listing of its cities before). Otherwise by the stored path, which the path's GIN index serves. And
 * by its top-level category when known, the partition key of "SearchDocument": the planner then plans
 * and reads its partition only (a bound constant prunes the others when the statement is planned).
 * With words, the words' index finds the matches and the category only filters them: by the listing's
 * own category among the subtree's too (an integer per match, not an array's containment), and a
 * top-level category without a place by the partition key alone.
 */
function categoryCondition(w: SearchConditions, words: boolean): Sql {
  const place = w.county !== undefined || w.withinCities !== undefined;
  if (words && !place && w.rootCategoryId !== undefined && w.rootCategoryId === w.categoryId) return sql`d."rootCategoryId" = ${w.rootCategoryId}::int`;
  const partition = w.rootCategoryId !== undefined ? sql` AND d."rootCategoryId" = ${w.rootCategoryId}::int` : empty;
  if ((place || words) && w.categorySubtree) return sql`d."categoryId" = ANY(${w.categorySubtree}::int[])${partition}`;
  return sql`d."categoryPath" @> ARRAY[${w.categoryId}::int]${partition}`;
}

function attributeCondition(a: AttributeCondition): Sql {
  const value = sql`d.attributes -> ${a.key}::text`;
  switch (a.kind) {
    case "range": {
      // Numbers only: a value stored otherwise never matches a range (and never fails the cast).
      const number = sql`(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (d.attributes ->> ${a.key}::text)::numeric END)`;
      const bounds = [
        ...(a.min !== undefined ? [sql`${number} >= ${a.min}::numeric`] : []),
        ...(a.max !== undefined ? [sql`${number} <= ${a.max}::numeric`] : []),
      ];
      return bounds.length ? join(bounds, " AND ") : sql`${number} IS NOT NULL`;
    }
    case "anyOf":
      return sql`search_fold(d.attributes ->> ${a.key}::text) = ANY(SELECT search_fold(v) FROM unnest(${a.values}::text[]) AS v)`;
    case "equals":
      return sql`${value} = to_jsonb(${a.value}::boolean)`;
  }
}

function distanceJoin(distances: Distances | null): Sql {
  if (!distances) return empty;
  return sql`LEFT JOIN unnest(${distances.map((d) => d.county)}::text[], ${distances.map((d) => d.city)}::text[], ${distances.map((d) => d.km)}::float8[])
    AS near(county, city, km) ON near.county = d.county AND near.city = d.city`;
}

function from(spec: SearchSpec): Sql {
  return sql`FROM "SearchDocument" d ${distanceJoin(spec.distances)}`;
}

// ---- page, total and facets -------------------------------------------------------------------------

/**
 * The sort column (as the page names it), its direction, the cast of a cursor's value, and the value
 * as the cursor carries it (a timestamp in ISO 8601 UTC, whatever the session's time zone).
 */
const ORDERS: Record<SearchOrder, { column: string; direction: "ASC" | "DESC"; cast: string; text: string }> = {
  RELEVANCE: { column: "score", direction: "DESC", cast: "float8", text: "p.score::text" },
  NEWEST: { column: `"publishedAt"`, direction: "DESC", cast: "timestamptz", text: `to_char(p."publishedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` },
  PRICE_ASC: { column: `"priceRonBani"`, direction: "ASC", cast: "bigint", text: `p."priceRonBani"::text` },
  PRICE_DESC: { column: `"priceRonBani"`, direction: "DESC", cast: "bigint", text: `p."priceRonBani"::text` },
  DISTANCE: { column: "km", direction: "ASC", cast: "float8", text: "p.km::text" },
};

/** Far beyond any distance in Romania: a city without coordinates sorts last. */
const NO_DISTANCE = 100_000;

/** What a client selected besides the page: each is counted over every match. */
export interface Wanted {
  total: boolean;
  facets: boolean;
}

export interface Answer {
  hits: HitRow[];
  total: number | null;
  facets: FacetRow[] | null;
}

/**
 * The page, and (when wanted) the total and the facets, in one statement. When the page needs every
 * match anyway (RELEVANCE ranks them all, DISTANCE sorts them all), the matches are read once (a CTE)
 * for the three — separate statements visited every match three times. Otherwise (NEWEST, PRICE_*)
 * the page comes from the sort column's index, and the counts from one aggregate over a plain scan: a
 * CTE of every listing (a search without words) spilled to disk past work_mem and cost 184 ms of CPU
 * to 114 at 100,000 listings. Without a total or facets, the page alone.
 */
export async function searchAnswer(run: RunSql, spec: SearchSpec, page: PageSpec, wanted: Wanted): Promise<Answer> {
  const shared = page.order === "RELEVANCE" || page.order === "DISTANCE";
  const withFacets = wanted.facets;
  if (!wanted.total && !withFacets) {
    const hits = await run<HitRow>(sql`WITH ${pageOf(sql`(${matches(spec, page.order, page.at, false)})`, page)} ${hitRows(spec, page.order)}`);
    return { hits, total: null, facets: null };
  }
  const ctes = shared
    ? sql`matched AS MATERIALIZED (${matches(spec, page.order, page.at, withFacets)}), ${pageOf(sql`matched`, page)}`
    : pageOf(sql`(${matches(spec, page.order, page.at, false)})`, page);
  const counted = shared ? sql`matched` : sql`(${matches(spec, page.order, page.at, withFacets)})`;
  const [row] = await run<{ hits: HitRow[]; total: number | null; facets: FacetRow[] | null }>(sql`
    WITH ${ctes}
    SELECT (SELECT coalesce(json_agg(h ORDER BY h.n), '[]'::json) FROM (${hitRows(spec, page.order)}) h) AS hits,
      ${withFacets ? sql`NULL::int` : sql`(SELECT count(*)::int FROM ${counted} c)`} AS total,
      ${withFacets ? sql`(SELECT json_agg(f) FROM (${facetRows(counted)}) f)` : sql`NULL::json`} AS facets`);
  if (!withFacets) return { hits: row!.hits, total: row!.total, facets: null };
  const facets = row!.facets ?? [];
  return { hits: row!.hits, total: facets.find((f) => f.kind === "total")?.count ?? 0, facets: facets.filter((f) => f.kind !== "total") };
}

/** The total and the counts alone (searchAnswer's), for a caller that keeps them apart from the page. */
export interface Counts {
  total: number;
  facets: FacetRow[] | null;
}

/**
 * The total and, when wanted, the facets of a search, without its page: the same aggregate over the
 * same matches as searchAnswer's (without a score: no order ranks them here), for counts kept across
 * requests (search.service.ts) while the page is read each time.
 */
export async function searchCounts(run: RunSql, spec: SearchSpec, withFacets: boolean): Promise<Counts> {
  const counted = sql`(${matches(spec, "NEWEST", new Date(0), withFacets)})`;
  if (!withFacets) {
    const [row] = await run<{ total: number }>(sql`SELECT count(*)::int AS total FROM ${counted} c`);
    return { total: row!.total, facets: null };
  }
  const facets = await run<FacetRow>(facetRows(counted));
  return { total: facets.find((f) => f.kind === "total")?.count ?? 0, facets: facets.filter((f) => f.kind !== "total") };
}

/**
 * Every match with what the page sorts by (the score only for RELEVANCE: ranking every match is the
 * costliest part of a common word) and, for facets, what they count. No text: it is read for the
 * page's rows only (hitRows). Exported for bench/search-split.ts (variants of the counts).
 */
export function matches(spec: SearchSpec, order: SearchOrder, at: Date, withFacets: boolean): Sql {
  const scored = spec.text && order === "RELEVANCE" ? score(spec.text, at) : sql`NULL::float8`;
  const km = spec.distances ? sql`coalesce(near.km, ${NO_DISTANCE})::float8` : sql`NULL::float8`;
  const facetColumns = withFacets ? sql`, d."categoryId", d.county, d.city, d.condition` : empty;
  return sql`SELECT d."listingId", d."publishedAt", d."priceRonBani", ${scored} AS score, ${km} AS km ${facetColumns}
    ${from(spec)} WHERE ${conditions(spec)}`;
}

/** The CTE "page": the matches after the cursor, in order, one more than the page to tell whether another follows. */
function pageOf(source: Sql, page: PageSpec): Sql {
  const order = ORDERS[page.order];
  const after = page.after
    ? sql`WHERE (s.${raw(order.column)}, s."listingId") ${raw(order.direction === "DESC" ? "<" : ">")} (${page.after.value}::${raw(order.cast)}, ${page.after.id}::uuid)`
    : empty;
  return sql`page AS (
    SELECT s."listingId", s."publishedAt", s."priceRonBani", s.score, s.km FROM ${source} s ${after}
    ORDER BY s.${raw(order.column)} ${raw(order.direction)}, s."listingId" ${raw(order.direction)}
    LIMIT ${page.size + 1}
  )`;
}

/**
 * The page's rows with their highlights, in order (n). The title's text and description are read here,
 * for these rows only (from "SearchText", out of the rows every match reads); the description's
 * fragment only when the title has no matched word (else the title is the highlight: highlight.ts).
 */
function hitRows(spec: SearchSpec, order: SearchOrder): Sql {
  const { column, direction, text } = ORDERS[order];
  const sorted = sql`p.${raw(column)} ${raw(direction)}, p."listingId" ${raw(direction)}`;
  const loose = spec.text?.loose;
  const marked = loose
    ? sql`m.title AS "titleMarked", CASE WHEN strpos(m.title, ${MARK_START}) > 0 THEN NULL
          ELSE ts_headline('search_ro', translate(t.description, ${MARK_START + MARK_END}, ''), ${loose}::tsquery, ${headlineOptions(false)}) END AS "descriptionMarked"`
    : sql`NULL::text AS "titleMarked", NULL::text AS "descriptionMarked"`;
  const titleMarks = loose
    ? sql`CROSS JOIN LATERAL (SELECT ts_headline('search_ro', translate(t.title, ${MARK_START + MARK_END}, ''), ${loose}::tsquery, ${headlineOptions(true)}) AS title) m`
    : empty;
  return sql`SELECT p."listingId", p.score, p.km, ${raw(text)} AS "sortValue", ${marked}, (row_number() OVER (ORDER BY ${sorted}))::int AS n
    FROM page p ${loose ? sql`JOIN "SearchText" t ON t."listingId" = p."listingId" ${titleMarks}` : empty}
    ORDER BY ${sorted}`;
}

function headlineOptions(whole: boolean): string {
  const marks = `StartSel=${MARK_START}, StopSel=${MARK_END}`;
  return whole ? `${marks}, HighlightAll=true` : `${marks}, MaxWords=24, MinWords=10, MaxFragments=1`;
}

export interface FacetRow {
  kind: "total" | "category" | "county" | "city" | "condition" | "price";
  /** category: the listings' own category's id (facets.ts adds it to its ancestors); price: the step's lower bound in bani. */
  key: string | null;
  key2: string | null;
  count: number;
}

export const TOP_CITIES = 10;

/**
 * Every count over the matches, in one pass (grouping sets): the total, the listings' own categories
 * (facets.ts adds each one's count to its ancestors: a parent counts its subtree; grouped by the int
 * id, not the int[] path, whose hashing cost ~2 ms of ~28 for a common word's 9,089 matches),
 * every (county, city) — of which the top cities, and each county as the sum of its cities (a listing
 * has one city: the same count as a grouping set of its own, one hash table per match fewer) —
 * conditions, and prices per step of a 1-2-5 series (…, 100, 200, 500, 1,000 lei, …), which facets.ts
 * joins into ranges. In a fixed order (facets.ts sorts by count, keeping ties as they come), whether
 * they come as rows (searchCounts) or in json (searchAnswer). Exported for bench/search-split.ts.
 */
export function facetRows(source: Sql): Sql {
  const grouped = (column: string) => sql`GROUPING(${raw(column)}) = 0`;
  return sql`
    WITH groups AS (
      SELECT
        CASE WHEN ${grouped(`"categoryId"`)} THEN 'category' WHEN ${grouped("city")} THEN 'city'
          WHEN ${grouped("condition")} THEN 'condition' WHEN ${grouped("step")} THEN 'price' ELSE 'total' END AS kind,
        CASE WHEN ${grouped(`"categoryId"`)} THEN "categoryId"::text WHEN ${grouped("county")} THEN county
          WHEN ${grouped("condition")} THEN condition::text WHEN ${grouped("step")} THEN step::text END AS key,
        CASE WHEN ${grouped("city")} THEN city END AS key2,
        count(*)::int AS count
      FROM (SELECT "categoryId", county, city, condition, ${priceStep()} AS step FROM ${source} src) m
      GROUP BY GROUPING SETS ((), ("categoryId"), (county, city), (condition), (step))
    )
    SELECT kind, key, key2, count FROM (
      SELECT kind, key, key2, count, row_number() OVER (PARTITION BY kind ORDER BY count DESC, key, key2) AS rank FROM (
        SELECT kind, key, key2, count FROM groups
        UNION ALL
        SELECT 'county', key, NULL, sum(count)::int FROM groups WHERE kind = 'city' GROUP BY key
      ) counted
    ) ranked
    WHERE (kind <> 'condition' OR key IS NOT NULL) AND (kind <> 'city' OR rank <= ${TOP_CITIES})
    ORDER BY kind, rank`;
}

/** 1, 2, 5, 10, 20, 50 … lei up to 5·10¹³, in bani: exact integers below 2⁵³. */
const PRICE_STEPS = Array.from({ length: 14 }, (_, k) => [1, 2, 5].map((m) => m * 10 ** k * 100)).flat();

/**
 * The 1-2-5 step a price (bani) is in, as the step's lower bound in bani; under 1 leu: 0. A binary
 * search in a constant array (width_bucket): numeric logarithms per row made the facets of a common
 * word cost ~470 ms of 633 at 100,000 listings (bench:search, variants).
 */
function priceStep(): Sql {
  return sql`coalesce((${PRICE_STEPS}::bigint[])[width_bucket("priceRonBani", ${PRICE_STEPS}::bigint[])], 0)`;
}

// ---- suggestions ----------------------------------------------------------------------------------

export interface WordRow {
  display: string;
  docCount: number;
}

/**
 * Title words starting with the folded prefix, the most common first; then, for a prefix of 4 or more
 * letters, words whose start is 1 edit away from it (2 from 6 letters on), sharing its first letter —
 * trigrams find too little in a short prefix with a swapped pair ("bicilc").
 */
export async function suggestWords(run: RunSql, folded: string, limit: number): Promise<WordRow[]> {
  const upper = nextKey(folded);
  const first = folded[0]!;
  const edits = folded.length >= 6 ? 2 : 1;
  return run<WordRow>(sql`
    SELECT display, "docCount" FROM (
      (SELECT display, "docCount", 0 AS distance FROM "SearchWord"
        WHERE word >= ${folded} AND word < ${upper} AND "docCount" > 0 ORDER BY "docCount" DESC, word LIMIT ${limit})
      UNION ALL
      (SELECT display, "docCount", levenshtein(left(word, ${folded.length}::int), ${folded}) FROM "SearchWord"
        WHERE ${folded.length >= 4} AND word >= ${first} AND word < ${nextKey(first)} AND NOT (word >= ${folded} AND word < ${upper})
          AND "docCount" > 0 AND levenshtein(left(word, ${folded.length}::int), ${folded}) <= ${edits}
        ORDER BY 3, "docCount" DESC, word LIMIT ${limit})
    ) found
    ORDER BY distance, "docCount" DESC, display
    LIMIT ${limit}`);
}

/** The least key above every word that starts with `prefix` ([a-z0-9] only): "bic" → "bid". */
function nextKey(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

// ---- saved-search alerts ----------------------------------------------------------------------------

/**
 * Takes up to `limit` queued changes, oldest first, deleting them: each is handled by one process
 * (SKIP LOCKED), and a process that dies meanwhile loses that batch's alerts, never a user's data.
 */
export async function claimChanges(prisma: PrismaClient, limit: number): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ listingId: string }[]>`
    DELETE FROM "SearchChange" WHERE id IN (SELECT id FROM "SearchChange" ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING "listingId"`;
  return [...new Set(rows.map((r) => r.listingId))];
}

/** Puts changes back after a failed match, for the next round. */
export async function requeueChanges(prisma: PrismaClient, listingIds: string[]): Promise<void> {
  await prisma.$executeRaw`INSERT INTO "SearchChange" ("listingId") SELECT unnest(${listingIds}::uuid[])`;
}

export interface AlertCandidate {
  id: string;
  userId: string;
  query: string | null;
  filter: unknown;
  /** The listings (still findable, not the search owner's) in the search's category. */
  listingIds: string[];
}

/** The saved searches each listing may match: same category subtree (or none), someone else's. */
export async function alertCandidates(prisma: PrismaClient, listingIds: string[]): Promise<AlertCandidate[]> {
  return prisma.$queryRaw<AlertCandidate[]>`
    SELECT s.id, s."userId", s.query, s.filter, array_agg(d."listingId"::text ORDER BY d."listingId") AS "listingIds"
    FROM "SearchDocument" d
    JOIN "SavedSearch" s ON (s."categoryId" IS NULL OR s."categoryId" = ANY(d."categoryPath")) AND s."userId" <> d."sellerId"
    WHERE d."listingId" = ANY(${listingIds}::uuid[]) AND (d."expiresAt" IS NULL OR d."expiresAt" > now())
    GROUP BY s.id
    ORDER BY s.id`;
}

/** The listings of `spec.where.listingIds` that the search finds. */
export async function matchingListings(prisma: PrismaClient, spec: SearchSpec): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ listingId: string }[]>`
    SELECT d."listingId" ${from({ ...spec, distances: null })} WHERE ${conditions(spec)}`;
  return rows.map((r) => r.listingId);
}
