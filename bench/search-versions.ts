/**
 * PostgreSQL CPU and wall time of search's SQL for several versions of search-sql.ts side by side, each
 * version's own module (its compileText and searchAnswer, loaded from a checkout: `git worktree add
 * /tmp/x <commit>`), on one connection each of the same data set, the versions taking turns run by run.
 * Every version must answer alike (the page's listings, the total and the facets); scores may differ
 * only by float rounding. Per kind and version: compile + answer wall ms (p50, p95, mean) and the
 * backend's CPU per search (/proc). With --page-only, the page statement alone (what a repeated search
 * sends when its compiled text and counts are kept: SearchService), compiled once per kind. With
 * --databases, each version on its own database (one per root: a schema change between versions, e.g.
 * a copy made with CREATE DATABASE … TEMPLATE before migrating).
 *
 *   node --import tsx bench/search-versions.ts --roots /tmp/before,. [--labels before,after] \
 *     [--kinds word,typo] [--runs 30 | --explain 7] [--page-only] [--size 100000 | --databases a,b] [--out bench/results/x.json]
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import type { Prisma } from "../prisma/generated/client.ts";
import { CatalogFacts } from "../subgraphs/search/catalog-facts.ts";
import { checkFilter } from "../subgraphs/search/search-filter.ts";
import { parseQuery } from "../subgraphs/search/search-query.ts";
import type * as SearchSql from "../subgraphs/search/search-sql.ts";
import { EUR_RON_RATE } from "./datasets.ts";
import { catalogGraph } from "./search-catalog.ts";
import { KINDS } from "./search-queries.ts";
import { cpuBetween, cpuByPid, percentiles } from "./search-stats.ts";

const { values: argv } = parseArgs({
  options: {
    roots: { type: "string", default: "." },
    labels: { type: "string" },
    kinds: { type: "string", default: "word,word+cat,typo,typo+cat,phrase,phrase+cat,two-words,two-words+cat" },
    runs: { type: "string", default: "30" },
    /** Instead of timing runs: EXPLAIN (ANALYZE, BUFFERS) each version's answer statement this many times, alternated (median execution time, last plan). */
    explain: { type: "string" },
    size: { type: "string", default: "100000" },
    database: { type: "string" },
    databases: { type: "string" },
    "page-only": { type: "boolean", default: false },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    out: { type: "string" },
  },
  strict: true,
});

const roots = argv.roots.split(",").map((r) => path.resolve(r));
const labels = argv.labels?.split(",") ?? roots.map((r) => path.basename(r));
const runs = Number(argv.runs);
const databases = argv.databases?.split(",") ?? roots.map(() => argv.database ?? `piata_bench_${argv.size}`);
if (databases.length !== roots.length) throw new Error("--databases: one per root");
const pageOnly = argv["page-only"];
const wanted = { total: !pageOnly, facets: !pageOnly };

const versions = await Promise.all(
  roots.map(async (root, i) => {
    const sqlModule = (await import(path.join(root, "subgraphs/search/search-sql.ts"))) as typeof SearchSql;
    const url = new URL(argv["pg-url"]);
    url.pathname = `/${databases[i]}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const pid = (await client.query<{ pid: number }>("SELECT pid FROM pg_backend_pid() AS pid")).rows[0]!.pid;
    const run: SearchSql.RunSql = async <T>(s: Prisma.Sql) => (await client.query(s.text, s.values as unknown[])).rows as T[];
    return { label: labels[i]!, sqlModule, client, pid, run };
  }),
);

const catalog = new CatalogFacts(catalogGraph());
type Version = (typeof versions)[number];
/** Each version's compiled query per kind, with --page-only (SearchService keeps them). */
const compiled = new Map<string, SearchSql.SearchSpec>();
async function specOf(v: Version, kind: (typeof KINDS)[number]): Promise<SearchSql.SearchSpec> {
  const key = `${v.label}\n${kind.name}`;
  const kept = pageOnly ? compiled.get(key) : undefined;
  if (kept) return kept;
  const text = parseQuery(kind.search!.query);
  const { where, distances } = await checkFilter(kind.search!.filter ?? {}, catalog, EUR_RON_RATE);
  const spec = { text: text && (await v.sqlModule.compileText(v.run, text)), where, distances } as SearchSql.SearchSpec;
  if (pageOnly) compiled.set(key, spec);
  return spec;
}
async function searchOnce(v: Version, kind: (typeof KINDS)[number], run = v.run) {
  const spec = await specOf(v, kind);
  const page: SearchSql.PageSpec = { order: kind.search!.sort ?? (spec.text ? "RELEVANCE" : "NEWEST"), size: 20, after: null, at: new Date() };
  return v.sqlModule.searchAnswer(run, spec, page, wanted);
}

/** The answer statement's EXPLAIN (ANALYZE, BUFFERS): execution ms and plan. */
async function explainOnce(v: Version, kind: (typeof KINDS)[number]): Promise<{ ms: number; plan: string[] }> {
  let plan: string[] = [];
  await searchOnce(v, kind, async <T>(s: Prisma.Sql) => {
    const rows = (await v.client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.values as unknown[])).rows;
    plan = rows.map((r) => r["QUERY PLAN"]);
    return [{ hits: [], total: 0, facets: [] }] as T[];
  });
  return { ms: Number(/([\d.]+) ms/.exec(plan.find((l) => l.startsWith("Execution Time")) ?? "")?.[1] ?? NaN), plan };
}

const out: Record<string, unknown>[] = [];
try {
  for (const name of argv.kinds.split(",")) {
    const kind = KINDS.find((k) => k.name === name);
    if (!kind?.search) throw new Error(`unknown search kind ${name}`);
    const answers: SearchSql.Answer[] = [];
    for (const v of versions) answers.push(await searchOnce(v, kind)); // warm, and the answers compared
    const key = (a: SearchSql.Answer) => JSON.stringify({ ids: a.hits.map((h) => h.listingId), total: a.total, facets: a.facets });
    for (const [i, a] of answers.entries()) {
      if (key(a) !== key(answers[0]!)) throw new Error(`${name}: ${versions[i]!.label} answers otherwise than ${versions[0]!.label}`);
      const scores = a.hits.map((h, j) => Math.abs((h.score ?? 0) - (answers[0]!.hits[j]!.score ?? 0)));
      if (scores.some((d) => d > 1e-6)) throw new Error(`${name}: ${versions[i]!.label} scores otherwise (${Math.max(...scores)})`);
    }
    if (argv.explain) {
      const times = versions.map(() => [] as number[]);
      const plans = versions.map(() => [] as string[]);
      for (let r = 0; r < Number(argv.explain); r++) {
        for (const [i, v] of versions.entries()) {
          const e = await explainOnce(v, kind);
          times[i]!.push(e.ms);
          plans[i] = e.plan;
        }
      }
      for (const [i, v] of versions.entries()) {
        const p = percentiles(times[i]!);
        console.log(`${name.padEnd(14)} ${v.label.padEnd(10)} EXPLAIN ANALYZE execution median ${p.p50.toFixed(1)} ms (min ${Math.min(...times[i]!).toFixed(1)}, ${times[i]!.length} runs)`);
        out.push({ kind: name, version: v.label, explainRuns: times[i]!.length, executionMs: times[i], medianMs: p.p50, plan: plans[i] });
      }
      continue;
    }
    const walls = versions.map(() => [] as number[]);
    const cpu = versions.map(() => 0);
    for (let r = 0; r < runs; r++) {
      const order = r % 2 === 0 ? versions.entries() : [...versions.entries()].reverse().values();
      for (const [i, v] of order) {
        const before = cpuByPid([v.pid]);
        const t0 = performance.now();
        await searchOnce(v, kind);
        walls[i]!.push(performance.now() - t0);
        cpu[i]! += cpuBetween(before, cpuByPid([v.pid]));
      }
    }
    for (const [i, v] of versions.entries()) {
      const p = percentiles(walls[i]!);
      const cpuMs = Math.round((cpu[i]! / runs) * 100) / 100;
      const ratio = i === 0 ? "" : `  (CPU ×${(cpuMs / (Math.round((cpu[0]! / runs) * 100) / 100 || 1)).toFixed(2)} of ${versions[0]!.label})`;
      console.log(`${name.padEnd(14)} ${v.label.padEnd(10)} wall p50 ${p.p50.toFixed(1).padStart(6)} p95 ${p.p95.toFixed(1).padStart(6)} mean ${p.mean.toFixed(1).padStart(6)} ms · PostgreSQL CPU ${cpuMs.toFixed(2).padStart(6)} ms${ratio}`);
      out.push({ kind: name, version: v.label, runs, wallMs: p, postgresCpuMsPerSearch: cpuMs, total: answers[i]!.total });
    }
  }
} finally {
  for (const v of versions) await v.client.end();
}
if (argv.out) {
  fs.writeFileSync(
    argv.out,
    `${JSON.stringify({ command: `node --import tsx bench/search-versions.ts ${process.argv.slice(2).join(" ")}`, date: new Date().toISOString(), roots, labels, runs, results: out }, null, 1)}\n`,
  );
}
