/**
 * A search's page and its counts (total + facets): one statement, or two (in turn on one connection, or
 * at once on two), and other ways to write the counts, side by side on PostgreSQL: the statements
 * built by search-sql.ts for each kind (SearchService's steps: the query compiled, the filter checked),
 * the variants taking turns run by run, so the machine's load falls on each alike. Per variant and
 * kind: wall ms per search (p50, p95, mean) and the CPU of the backends used (/proc, both
 * connections), and the rows are checked against the one-statement answer (same hits, total, facets).
 *
 *   node --import tsx bench/search-split.ts [--kinds word,typo,phrase] [--variants one,split-seq,…]
 *     [--runs 30] [--size 100000] [--out bench/results/x.json]
 *
 * Variants (see VARIANTS): one, split-seq, split-par, counts, counts-preagg, counts-sets, total-only,
 * page, page-norank, scan.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { Prisma } from "../prisma/generated/client.ts";
import { CatalogFacts } from "../subgraphs/search/catalog-facts.ts";
import { checkFilter } from "../subgraphs/search/search-filter.ts";
import { parseQuery } from "../subgraphs/search/search-query.ts";
import {
  compileText,
  facetRows,
  matches,
  searchAnswer,
  searchCounts,
  type PageSpec,
  type RunSql,
  type SearchSpec,
} from "../subgraphs/search/search-sql.ts";
import { EUR_RON_RATE } from "./datasets.ts";
import { catalogGraph } from "./search-catalog.ts";
import { KINDS } from "./search-queries.ts";
import { cpuBetween, cpuByPid, percentiles } from "./search-stats.ts";

const { values: argv } = parseArgs({
  options: {
    kinds: { type: "string", default: "word,word+cat,typo,typo+cat,phrase,phrase+cat" },
    variants: { type: "string", default: "one,split-seq,split-par,counts,counts-preagg,total-only,page" },
    runs: { type: "string", default: "30" },
    size: { type: "string", default: "100000" },
    database: { type: "string" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    out: { type: "string" },
  },
  strict: true,
});

const { sql } = Prisma;
const size = Number(argv.size);
const runs = Number(argv.runs);
const url = new URL(argv["pg-url"]);
url.pathname = `/${argv.database ?? `piata_bench_${size}`}`;

interface Conn {
  client: pg.Client;
  pid: number;
  run: RunSql;
}
async function connect(): Promise<Conn> {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
  const run: RunSql = async <T>(s: Prisma.Sql) => (await client.query(s.text, s.values as unknown[])).rows as T[];
  return { client, pid, run };
}
const a = await connect();
const b = await connect();

/** What SearchService.search does before its answer: the query compiled, the filter checked. */
async function specOf(kind: (typeof KINDS)[number]): Promise<{ spec: SearchSpec; page: PageSpec }> {
  const catalog = new CatalogFacts(catalogGraph());
  const text = parseQuery(kind.search!.query);
  const { where, distances } = await checkFilter(kind.search!.filter ?? {}, catalog, EUR_RON_RATE);
  const spec: SearchSpec = { text: text && (await compileText(a.run, text)), where, distances };
  return { spec, page: { order: kind.search!.sort ?? "RELEVANCE", size: 20, after: null, at: new Date() } };
}

/**
 * The counts, pre-aggregated: one hash aggregate by every key together (a few thousand groups for a
 * common word's 9,089 matches), then the grouping sets over those groups (sums) instead of over every match.
 */
function preaggregated(spec: SearchSpec): Prisma.Sql {
  const facets = facetRows(sql`(${matches(spec, "NEWEST", new Date(0), true)})`);
  const text = facets.text
    .replace("count(*)::int AS count", "sum(n)::int AS count")
    .replace(/FROM \(SELECT "categoryId", county, city, condition, (coalesce\([^\n]*?\)\], 0\)) AS step FROM (\([\s\S]*?\)) src\) m/, (_, step: string, src: string) =>
      `FROM (SELECT "categoryId", county, city, condition, ${step} AS step, count(*) AS n FROM ${src} src GROUP BY 1, 2, 3, 4, 5) m`);
  if (text === facets.text || !text.includes("sum(n)")) throw new Error("preaggregated: the facets statement changed shape");
  return rawSql(text, facets.values);
}

/** Separate hash aggregates over one materialized match set (UNION ALL), instead of grouping sets. */
function separateSets(spec: SearchSpec): Prisma.Sql {
  const m = matches(spec, "NEWEST", new Date(0), true);
  const steps = facetRows(sql`x`).values.slice(0, 2);
  return sql`WITH m AS MATERIALIZED (SELECT "categoryId", county, city, condition, "priceRonBani" FROM (${m}) s)
    SELECT 'total' AS kind, NULL AS key, NULL AS key2, count(*)::int AS count FROM m
    UNION ALL SELECT 'category', "categoryId"::text, NULL, count(*)::int FROM m GROUP BY "categoryId"
    UNION ALL SELECT 'city', county, city, count(*)::int FROM m GROUP BY county, city
    UNION ALL SELECT 'condition', condition::text, NULL, count(*)::int FROM m GROUP BY condition
    UNION ALL SELECT 'price', coalesce((${steps[0]}::bigint[])[width_bucket("priceRonBani", ${steps[1]}::bigint[])], 0)::text, NULL, count(*)::int FROM m GROUP BY 2`;
}

/** A rewritten statement with the values bound as before (only .text and .values are read here). */
function rawSql(text: string, values: unknown[]): Prisma.Sql {
  return { text, values } as unknown as Prisma.Sql;
}

/** The page-only statement searchAnswer sends (recorded, not run). */
async function pageStatement(spec: SearchSpec, page: PageSpec): Promise<Prisma.Sql> {
  let recorded: Prisma.Sql | undefined;
  await searchAnswer(async <T>(s: Prisma.Sql) => ((recorded = s), [] as T[]), spec, page, { total: false, facets: false });
  return recorded!;
}

/** The page without ts_rank (the score's rank term 0): what ranking every match costs. */
async function pageWithoutRank(spec: SearchSpec, page: PageSpec): Promise<Prisma.Sql> {
  const s = await pageStatement(spec, page);
  const text = s.text.replace(/ts_rank\(d\.document, (\$\d+)::tsquery, 32\)/, (_, p: string) => `(0 * numnode(${p}::tsquery))`);
  if (text === s.text) throw new Error("page-norank: no ts_rank in the page statement");
  return rawSql(text, s.values);
}

/**
 * The page with the exact words tested through the index once (the listings with them, a hashed
 * subplan) instead of a second @@ on every match's document: a typo's exact word has few or no matches.
 */
async function pageExactSet(spec: SearchSpec, page: PageSpec): Promise<Prisma.Sql> {
  const s = await pageStatement(spec, page);
  const text = s.text.replace(
    /\(CASE WHEN d\.document @@ (\$\d+)::tsquery THEN 1 ELSE 0 END\)/,
    (_, p: string) => `(CASE WHEN d."listingId" IN (SELECT e."listingId" FROM "SearchDocument" e WHERE e.document @@ ${p}::tsquery) THEN 1 ELSE 0 END)`,
  );
  return rawSql(text, s.values);
}

type Runner = (spec: SearchSpec, page: PageSpec) => Promise<unknown>;

const VARIANTS: Record<string, { conns: Conn[]; run: Runner }> = {
  /** The product's: page, total and facets in one statement. */
  one: { conns: [a], run: (spec, page) => searchAnswer(a.run, spec, page, { total: true, facets: true }) },
  /** The page, then the counts, on one connection. */
  "split-seq": {
    conns: [a],
    run: async (spec, page) => {
      const hits = await searchAnswer(a.run, spec, page, { total: false, facets: false });
      const counts = await searchCounts(a.run, spec, true);
      return { hits: hits.hits, ...counts };
    },
  },
  /** The page on one connection while the counts are read on another. */
  "split-par": {
    conns: [a, b],
    run: async (spec, page) => {
      const [hits, counts] = await Promise.all([searchAnswer(a.run, spec, page, { total: false, facets: false }), searchCounts(b.run, spec, true)]);
      return { hits: hits.hits, ...counts };
    },
  },
  page: { conns: [a], run: (spec, page) => searchAnswer(a.run, spec, page, { total: false, facets: false }) },
  "page-norank": { conns: [a], run: async (spec, page) => a.run(await pageWithoutRank(spec, page)) },
  "page-exactset": { conns: [a], run: async (spec, page) => a.run(await pageExactSet(spec, page)) },
  counts: { conns: [a], run: (spec) => searchCounts(a.run, spec, true) },
  "counts-preagg": { conns: [a], run: (spec) => a.run(preaggregated(spec)) },
  "counts-sets": { conns: [a], run: (spec) => a.run(separateSets(spec)) },
  "total-only": { conns: [a], run: (spec) => searchCounts(a.run, spec, false) },
};

const kinds = argv.kinds.split(",").map((name) => KINDS.find((k) => k.name === name) ?? (() => { throw new Error(`unknown kind ${name}`); })());
const variants = argv.variants.split(",");
for (const v of variants) if (!VARIANTS[v]) throw new Error(`unknown variant ${v}`);

const out: Record<string, unknown>[] = [];
try {
  for (const kind of kinds) {
    const { spec, page } = await specOf(kind);
    // Same answers: facets of the two-statement variants as the one statement's.
    const one = (await searchAnswer(a.run, spec, page, { total: true, facets: true })) as { total: number; facets: unknown[] };
    const split = (await VARIANTS["split-par"]!.run(spec, page)) as { total: number; facets: unknown[] };
    if (split.total !== one.total || JSON.stringify(split.facets) !== JSON.stringify(one.facets)) throw new Error(`${kind.name}: split answers differ`);
    if (variants.includes("counts-preagg")) {
      const pre = (await a.run<{ kind: string; key: string | null; key2: string | null; count: number }>(preaggregated(spec))).filter((f) => f.kind !== "total");
      if (JSON.stringify(pre) !== JSON.stringify(one.facets)) throw new Error(`${kind.name}: preaggregated facets differ`);
    }
    const walls = new Map(variants.map((v) => [v, [] as number[]]));
    const cpu = new Map(variants.map((v) => [v, 0]));
    for (const v of variants) await VARIANTS[v]!.run(spec, page); // warm
    for (let i = 0; i < runs; i++) {
      for (const v of variants) {
        const { conns, run } = VARIANTS[v]!;
        const pids = conns.map((c) => c.pid);
        const before = cpuByPid(pids);
        const t0 = performance.now();
        await run(spec, page);
        walls.get(v)!.push(performance.now() - t0);
        cpu.set(v, cpu.get(v)! + cpuBetween(before, cpuByPid(pids)));
      }
    }
    for (const v of variants) {
      const p = percentiles(walls.get(v)!);
      const cpuMs = Math.round((cpu.get(v)! / runs) * 100) / 100;
      console.log(`${kind.name.padEnd(12)} ${v.padEnd(14)} wall p50 ${p.p50.toFixed(1).padStart(6)} p95 ${p.p95.toFixed(1).padStart(6)} mean ${p.mean.toFixed(1).padStart(6)} ms · PostgreSQL CPU ${cpuMs.toFixed(1).padStart(6)} ms`);
      out.push({ kind: kind.name, variant: v, runs, wallMs: p, postgresCpuMsPerRun: cpuMs, total: one.total });
    }
  }
} finally {
  await a.client.end();
  await b.client.end();
}
if (argv.out) {
  fs.writeFileSync(
    argv.out,
    `${JSON.stringify({ command: `node --import tsx bench/search-split.ts ${process.argv.slice(2).join(" ")}`, date: new Date().toISOString(), size, runs, results: out }, null, 1)}\n`,
  );
}
