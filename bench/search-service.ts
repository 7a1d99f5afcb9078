/**
 * Child of bench/search.ts: SearchService in process, on a benchmark data set, without GraphQL or HTTP.
 *
 *   node --import tsx bench/search-service.ts '<json ServiceSpec>'   (or @<file>)
 *
 * mode "load": each cell's kind called `warmup` times, then `requests` times, `clients` calls at a time
 *   (as the subgraph's resolvers do: the page, totalCount and facets asked for together); exact latencies,
 *   this process's CPU (PGlite's worker thread is in it) and, on PostgreSQL, the CPU of the database's
 *   backends. PGlite has no subgraph process (its data dir is one process's), so this is its
 *   "subgraph" figure: the SQL and the service, no GraphQL and no HTTP.
 * mode "explain": the statements the service sends for each kind's first search (counts not kept yet),
 *   recorded by a client that passes them on and keeps them (search-sql.ts's builders, through
 *   SearchService itself), then run again
 *   and EXPLAIN (ANALYZE, BUFFERS)ed with the same bound values through the same Prisma client.
 * The category catalog, which the subgraph asks the gateway for, comes from the listings subgraph's
 * Catalog in memory (the same data the gateway would answer).
 * Prints one JSON line.
 */
import fs from "node:fs";
import { createLogger } from "../lib/logger.ts";
import { openDatabase, type Database } from "../lib/db/database.ts";
import { Prisma } from "../prisma/generated/client.ts";
import { CatalogFacts } from "../subgraphs/search/catalog-facts.ts";
import { viaDriver, type RunSql } from "../subgraphs/search/search-sql.ts";
import { SearchService } from "../subgraphs/search/search.service.ts";
import { EUR_RON_RATE } from "./datasets.ts";
import { catalogGraph } from "./search-catalog.ts";
import { KINDS, searchArgs, type KindName, type SearchKind } from "./search-queries.ts";
import { backendPids, cpuBetween, cpuByPid, percentiles, type Percentiles } from "./search-stats.ts";

export interface ServiceCell {
  kind: KindName;
  clients: number;
  requests: number;
  warmup: number;
}

export interface ServiceSpec {
  db: { DATA_DIR: string } | { DATABASE_URL: string };
  mode: "load" | "explain";
  cells?: ServiceCell[];
  explain?: KindName[];
  /** kept (default): counts kept as the subgraph keeps them; each: counted with every page (no purges wired). */
  counts?: "kept" | "each";
}

export interface ServiceCellResult extends ServiceCell {
  latencyMs: Percentiles;
  wallMs: number;
  requestsPerSecond: number;
  /** This process (service + Prisma + PGlite's thread when embedded), ms per request. */
  processCpuMsPerRequest: number;
  /** PostgreSQL backends of the data set's database, ms per request (null on PGlite). */
  databaseCpuMsPerRequest: number | null;
  errors: number;
  firstError?: string;
}

export interface ExplainedStatement {
  /**
   * compile: the query's tsqueries, compiled by their own statement (since 51341d9); answer: the page,
   * total and facets in one statement (2026-12-02, and a service without purges); page, count, facets:
   * one statement each (before, and since the counts of every search are kept: page and counts apart).
   */
  name: "compile" | "answer" | "page" | "count" | "facets" | "suggest";
  sql: string;
  values: unknown[];
  rows: number;
  /** The statement run alone (after one unmeasured run), ms as the client saw it. */
  runMs: number;
  executionMs: number | null;
  planningMs: number | null;
  plan: string[];
}

export interface ServiceResult {
  mode: ServiceSpec["mode"];
  openSeconds: number;
  cells?: ServiceCellResult[];
  explain?: Record<string, ExplainedStatement[]>;
}

/** A `distinct` kind's calls are numbered across the whole run: no two share a filter (search-queries.ts). */
let distinctCalls = 0;

async function call(service: SearchService, kind: SearchKind): Promise<void> {
  if (kind.suggest) {
    await service.suggest(kind.suggest.prefix, 8);
    return;
  }
  const results = await service.search({ ...searchArgs(kind, kind.distinct ? ++distinctCalls : 0), first: 20 });
  await Promise.all([results.edges(), results.totalCount(), results.facets()]);
}

async function runCell(service: SearchService, cell: ServiceCell, pids: () => Promise<number[]>): Promise<ServiceCellResult> {
  const kind = KINDS.find((k) => k.name === cell.kind)!;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const run = async (total: number, record: boolean) => {
    let started = 0;
    const loop = async () => {
      while (started < total) {
        started++;
        const t0 = performance.now();
        try {
          await call(service, kind);
          if (record) latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message.slice(0, 500);
        }
      }
    };
    await Promise.all(Array.from({ length: cell.clients }, loop));
  };
  await run(cell.warmup, false);
  // The database's backends (PostgreSQL): the pool's connections, open since the warm-up.
  const dbBefore = cpuByPid(await pids());
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  await run(cell.requests, true);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  const dbMs = dbBefore.size ? cpuBetween(dbBefore, cpuByPid(await pids())) : null;
  const n = Math.max(1, latencies.length);
  return {
    ...cell,
    latencyMs: percentiles(latencies),
    wallMs: Math.round(wallMs),
    requestsPerSecond: Math.round((latencies.length / wallMs) * 1000 * 10) / 10,
    processCpuMsPerRequest: Math.round(((cpu.user + cpu.system) / 1000 / n) * 1000) / 1000,
    databaseCpuMsPerRequest: dbMs === null ? null : Math.round((dbMs / n) * 1000) / 1000,
    errors,
    ...(firstError ? { firstError } : {}),
  };
}

/**
 * A runner that runs each statement on the real one and keeps it: the service gets real answers (a
 * statement may need the rows of the one before, e.g. compiled tsqueries), and every statement it
 * sends is recorded with its bound values.
 */
function recording(run: RunSql, recorded: Prisma.Sql[]): RunSql {
  return <T>(statement: Prisma.Sql) => {
    recorded.push(statement);
    return run<T>(statement);
  };
}

function statementName(text: string): ExplainedStatement["name"] {
  if (text.includes(" AS hits")) return "answer";
  if (text.includes("'total' AS kind") || text.includes("GROUPING SETS")) return "facets";
  if (text.includes("SELECT count(*)::int AS count") || text.includes("count(*)::int AS total")) return "count";
  if (/WITH\s+terms AS/.test(text) && text.includes(" AS exact")) return "compile";
  if (text.includes('FROM "SearchWord"') && !text.includes('"SearchDocument"')) return "suggest";
  return "page";
}

/**
 * The subgraph's SearchService keeps counts until listings change (subgraph.ts wires the purges); no
 * listing changes during a benchmark, so here no purge ever comes.
 */
const NO_PURGES = () => () => {};

function newService(run: RunSql, catalog: CatalogFacts, counts: ServiceSpec["counts"]): SearchService {
  return new SearchService(run, catalog, { eurRonRate: EUR_RON_RATE }, counts === "each" ? undefined : NO_PURGES);
}

async function explainKind(db: Database, catalog: CatalogFacts, kind: SearchKind, counts: ServiceSpec["counts"]): Promise<ExplainedStatement[]> {
  const prisma = db.prisma;
  const recorded: Prisma.Sql[] = [];
  // A service of its own: the statements of a first search, counts read (and not yet kept).
  await call(newService(recording(viaDriver(db), recorded), catalog, counts), kind);
  const out: ExplainedStatement[] = [];
  for (const statement of recorded) {
    const text = statement.text;
    const values = statement.values;
    await prisma.$queryRawUnsafe(text, ...values);
    const t0 = performance.now();
    const rows = await prisma.$queryRawUnsafe<unknown[]>(text, ...values);
    const runMs = performance.now() - t0;
    const planRows = await prisma.$queryRawUnsafe<Record<string, string>[]>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, ...values);
    const plan = planRows.map((r) => Object.values(r)[0]!);
    const find = (label: string) => {
      const line = plan.find((l) => l.startsWith(label));
      return line ? Number(/([\d.]+) ms/.exec(line)?.[1] ?? NaN) : null;
    };
    out.push({
      name: statementName(text),
      sql: text.replace(/\n\s+/g, "\n  "),
      // JSON has no dates or bigints (a `distinct` kind's price bound): as text, which PostgreSQL casts back.
      values: values.map((v) => (v instanceof Date ? v.toISOString() : typeof v === "bigint" ? v.toString() : v)),
      rows: rows.length,
      runMs: Math.round(runMs * 100) / 100,
      executionMs: find("Execution Time"),
      planningMs: find("Planning Time"),
      plan,
    });
  }
  return out;
}

async function main(spec: ServiceSpec): Promise<ServiceResult> {
  const log = createLogger({ LOG_LEVEL: "warn" }, "bench-search-service");
  const opening = performance.now();
  const db = await openDatabase("DATABASE_URL" in spec.db ? { DATABASE_URL: spec.db.DATABASE_URL, DATA_DIR: "unused" } : { DATA_DIR: spec.db.DATA_DIR, DATABASE_URL: undefined }, log);
  const openSeconds = Math.round((performance.now() - opening) / 100) / 10;
  try {
    const catalog = new CatalogFacts(catalogGraph());
    if (spec.mode === "explain") {
      const explain: Record<string, ExplainedStatement[]> = {};
      for (const name of spec.explain ?? []) explain[name] = await explainKind(db, catalog, KINDS.find((k) => k.name === name)!, spec.counts);
      return { mode: spec.mode, openSeconds, explain };
    }
    const service = newService(viaDriver(db), catalog, spec.counts);
    const pids = async () =>
      db.kind === "postgres"
        ? backendPids(await db.prisma.$queryRawUnsafe<{ pid: number }[]>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"))
        : [];
    const cells: ServiceCellResult[] = [];
    for (const cell of spec.cells ?? []) {
      const result = await runCell(service, cell, pids);
      console.error(
        `      service ${cell.kind.padEnd(14)} ×${String(cell.clients).padStart(2)}  p50 ${result.latencyMs.p50} p95 ${result.latencyMs.p95} p99 ${result.latencyMs.p99} ms  ` +
          `CPU ms/req ${result.processCpuMsPerRequest}${result.databaseCpuMsPerRequest !== null ? ` + db ${result.databaseCpuMsPerRequest}` : ""}${result.errors ? `  !! ${result.errors} errors: ${result.firstError}` : ""}`,
      );
      cells.push(result);
    }
    return { mode: spec.mode, openSeconds, cells };
  } finally {
    await db.close();
  }
}

const arg = process.argv[2] ?? "";
const spec = JSON.parse(arg.startsWith("@") ? fs.readFileSync(arg.slice(1), "utf8") : arg) as ServiceSpec;
try {
  const out = `${JSON.stringify(await main(spec))}\n`;
  // A large result (plans) must be flushed to the pipe before the process ends.
  process.stdout.write(out, () => process.exit(0));
} catch (error) {
  console.error(error);
  process.exit(1);
}
