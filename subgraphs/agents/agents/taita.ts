/**
 * taita: the database's health. Table and index sizes, dead rows and vacuum age, unused and duplicate
 * indexes, sequential scans on large tables, cache hit ratio, connections and, where the server has
 * pg_stat_statements, its slowest statements: findings with a severity and a recommendation. The
 * report is the run's output (databaseHealth returns the latest).
 *
 * Read-only by construction: every query runs in a READ ONLY transaction with a statement timeout, on
 * pg_catalog and the pg_stat_* views; recommendations are text, never run. The one other statement is
 * pg_stat_force_next_flush(), which publishes this connection's own pending statistics counters (on
 * PGlite, the only connection, that is the whole application's activity since the last flush).
 *
 * In a worker its statements go through the database's own driver (ctx.db.sql, runtime/sql.ts), not
 * Prisma: run every 5 minutes, a Prisma query would instantiate Prisma's query compiler (WASM, +20 MB
 * and more of the worker's RSS for good, measured in bench/results/agents-2026-12-02d-summary.md).
 *
 * On PGlite (PostgreSQL 17 in single-user mode) the statistics views work, but there is one connection
 * and no autovacuum daemon, pg_stat_statements cannot be loaded, and the counters start when the
 * embedded database is opened: the report lists under notMeasured what it could not measure.
 */
import { z } from "zod";
import type { AgentContext } from "../runtime/contract.ts";
import { defineAgent } from "../runtime/contract.ts";
import { hourOf, readOperations, summarizeOperations, type ObservedHour } from "../../../lib/observability/store.ts";
import { sqlFor, type Sql } from "../runtime/sql.ts";
import {
  analyzeCache,
  analyzeConnections,
  analyzeIndexes,
  analyzeOperations,
  analyzeSettings,
  analyzeStatements,
  analyzeTables,
  type ApiOperationStat,
  type CacheReport,
  type ColumnCandidate,
  type ConnectionsReport,
  errorMessage,
  type Finding,
  findStatementsExtension,
  formatBytes,
  type IndexRow,
  type ReadQuery,
  readConnections,
  readDatabase,
  readIndexes,
  readStatements,
  readTables,
  readUnindexedColumns,
  sortFindings,
  type StatementRow,
  suggestIndexColumns,
  type TableRow,
  type Thresholds,
} from "./taita-checks.ts";

export type { ApiOperationStat, Finding } from "./taita-checks.ts";

/** How far back the API's recorded operations are read. */
const RECORDED_HOURS = 24;

export const taitaInput = z.object({
  /** A table is "large" (its seq scans matter, its statistics must be fresh) from this many rows. */
  largeTableRows: z.number().int().min(1).default(10_000),
  /** Rows in each of the report's lists (tables, indexes, statements). */
  topN: z.number().int().min(1).max(100).default(10),
  /** Unused indexes smaller than this are not worth a finding. */
  unusedIndexMinBytes: z.number().int().min(0).default(1024 * 1024),
  /** Dead rows are a finding from this share of the table's rows... */
  deadRowRatio: z.number().gt(0).max(1).default(0.2),
  /** ...and this many. */
  minDeadRows: z.number().int().min(1).default(1_000),
  /** Seq scans on a large table are a finding from this many (and more than its index scans). */
  minSeqScans: z.number().int().min(1).default(10),
  /** pg_stat_statements statements slower than this on average are findings. */
  slowStatementMs: z.number().positive().default(200),
  /** API operations slower than this at p95 are findings. */
  slowOperationMs: z.number().positive().default(1_000),
});

export type TaitaInput = z.output<typeof taitaInput>;

export interface TableSummary {
  table: string;
  rowsEstimate: number;
  liveRows: number | null;
  deadRows: number | null;
  deadRatio: number | null;
  totalBytes: number;
  tableBytes: number;
  indexBytes: number;
  seqScans: number | null;
  indexScans: number | null;
  lastVacuum: string | null;
  lastAutovacuum: string | null;
  lastAnalyze: string | null;
  lastAutoanalyze: string | null;
  xidAge: number | null;
}

export interface IndexSummary {
  index: string;
  table: string;
  columns: string[];
  bytes: number;
  scans: number | null;
  unique: boolean;
  primary: boolean;
}

export interface NotMeasured {
  check: "statistics" | "connections" | "statements" | "operations" | "autovacuum" | "tables" | "indexes" | "cache";
  reason: string;
}

export interface TaitaReport {
  generatedAt: string;
  database: {
    kind: "pglite" | "postgres";
    name: string;
    version: string;
    versionNum: number;
    sizeBytes: number;
    size: string;
    /** When the counters behind scans, dead rows and cache figures were last reset (null: never, or unknown). */
    statsReset: string | null;
    xidAge: number;
  };
  summary: Record<"HIGH" | "MEDIUM" | "LOW" | "INFO", number>;
  /** The largest tables (topN). */
  tables: TableSummary[];
  indexes: {
    count: number;
    totalBytes: number;
    largest: IndexSummary[];
    unused: IndexSummary[];
    duplicates: { index: string; duplicateOf: string; relation: "identical" | "left-prefix"; bytes: number }[];
  };
  cache: CacheReport | null;
  connections: ConnectionsReport | null;
  /** pg_stat_statements' slowest statements by mean time, when this database has it. */
  statements: StatementRow[] | null;
  /** The API's own per-operation record (count, p95, SQL statements); null until it is wired in. */
  operations: ApiOperationStat[] | null;
  findings: Finding[];
  notMeasured: NotMeasured[];
  thresholds: TaitaInput;
}

export interface TaitaOptions {
  /**
   * The hook for "the slowest operations the API itself recorded": a source of per-GraphQL-operation
   * figures. The default agent reads the API's own record (lib/observability: ObservedOperation, written
   * by the gateway); without a source the report says the operations were not measured.
   */
  operations?: (signal: AbortSignal, db: AgentContext["db"]) => Promise<ApiOperationStat[]>;
  /** Per query, in milliseconds (default 15 s). */
  statementTimeoutMs?: number;
}

const NOTHING_RECORDED = `the API recorded no GraphQL operation in the last ${RECORDED_HOURS} hours (no traffic yet, or OPERATION_RECORDER is off)`;

const OPERATIONS_NOT_WIRED =
  "the API's per-operation recorder (count, p95, SQL statements per GraphQL operation) is not wired to taita yet: createTaitaAgent({ operations }) is the hook";

/**
 * A ReadQuery: each query in its own READ ONLY transaction, with a timeout. Given `sql` (the worker's
 * plain SQL), one script per query — `SET TRANSACTION READ ONLY; SET LOCAL statement_timeout; SELECT` —
 * which PostgreSQL runs as one implicit transaction (rolled back whole on an error: no connection is
 * left inside a transaction); else an interactive transaction of the Prisma client.
 *
 * A script answers with its last statement's rows (Database.executeSql). A Database whose executeSql
 * does not (lib/db/database.ts's PostgreSQL one answers a script's array of results as `undefined`
 * rows) gets its queries through Prisma instead, the first one run again.
 */
export function readOnlyQuery(prisma: AgentContext["db"]["prisma"] | (() => AgentContext["db"]["prisma"]), timeoutMs: number, sql?: Sql): ReadQuery & { count: () => number } {
  let count = 0;
  let scripts = sql !== undefined;
  // A function: the client asked for only when a query goes through it (a worker's is built on first use).
  const client = typeof prisma === "function" ? prisma : () => prisma;
  const viaPrisma = async (wrapped: string) => {
    const result = await client().$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe("SET TRANSACTION READ ONLY");
        await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
        return tx.$queryRawUnsafe<{ rows: unknown }[]>(wrapped);
      },
      { maxWait: 10_000, timeout: timeoutMs + 5_000 },
    );
    return result[0]?.rows;
  };
  const viaScript = async (wrapped: string): Promise<{ rows: unknown } | undefined> => {
    const rows = await sql!<{ rows: unknown }>(`SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}; ${wrapped}`);
    return Array.isArray(rows) ? { rows: rows[0]?.rows } : undefined;
  };
  const run = async <Row>(text: string): Promise<Row[]> => {
    count++;
    const wrapped = `SELECT coalesce(json_agg(q), '[]'::json) AS rows FROM (${text}) q`;
    let answer = scripts ? await viaScript(wrapped) : undefined;
    if (!answer) {
      scripts = false;
      answer = { rows: await viaPrisma(wrapped) };
    }
    const rows = answer.rows ?? [];
    return (typeof rows === "string" ? JSON.parse(rows) : rows) as Row[];
  };
  return Object.assign(run, { count: () => count });
}

function tableSummary(t: TableRow): TableSummary {
  const live = t.liveRows;
  const dead = t.deadRows;
  return {
    table: t.qualified,
    rowsEstimate: t.rowsEstimate,
    liveRows: live,
    deadRows: dead,
    deadRatio: live !== null && dead !== null && live + dead > 0 ? Math.round((dead / (live + dead)) * 10_000) / 10_000 : null,
    totalBytes: t.totalBytes,
    tableBytes: t.tableBytes,
    indexBytes: t.indexBytes,
    seqScans: t.seqScans,
    indexScans: t.indexScans,
    lastVacuum: t.lastVacuum,
    lastAutovacuum: t.lastAutovacuum,
    lastAnalyze: t.lastAnalyze,
    lastAutoanalyze: t.lastAutoanalyze,
    xidAge: t.xidAge,
  };
}

function indexSummary(i: IndexRow): IndexSummary {
  return { index: i.qualified, table: i.qualifiedTable, columns: i.columns, bytes: i.bytes, scans: i.scans, unique: i.unique, primary: i.primary };
}

export function createTaitaAgent(options: TaitaOptions = {}) {
  const timeoutMs = options.statementTimeoutMs ?? 15_000;
  return defineAgent({
    name: "taita",
    description:
      "Database health: table and index sizes, dead rows and vacuum age, unused and duplicate indexes, seq scans on large tables, cache hit ratio, connections and pg_stat_statements' slowest statements, as findings with a severity and a recommendation. Read-only.",
    input: taitaInput,
    schedule: "*/5 * * * *",
    timeoutSeconds: 120,
    retries: 1,
    concurrency: 1,

    async run(task, ctx) {
      const input = task.input;
      const started = Date.now();
      const { kind } = ctx.db;
      const query = readOnlyQuery(() => ctx.db.prisma, timeoutMs, ctx.db.sql);
      const thresholds: Thresholds = input;
      const notMeasured: NotMeasured[] = [];
      const findings: Finding[] = [];
      const step = async (message: string) => {
        ctx.signal.throwIfAborted();
        await ctx.progress(message);
      };
      /** A phase that cannot be read becomes a notMeasured entry, not a failed run. */
      const attempt = async <T>(check: NotMeasured["check"], fn: () => Promise<T>): Promise<T | null> => {
        try {
          return await fn();
        } catch (error) {
          ctx.signal.throwIfAborted();
          ctx.log.warn({ err: error, check }, "taita: a check could not be read");
          notMeasured.push({ check, reason: `could not be read: ${errorMessage(error)}` });
          return null;
        }
      };

      await step("reading the database's settings and size");
      // Publishes this connection's pending counters (PostgreSQL 15+; on PGlite the whole app's).
      await sqlFor(ctx.db)("SELECT pg_stat_force_next_flush()::text AS flushed").catch(() => undefined);
      const db = await readDatabase(query);
      const countsTracked = db.trackCounts === "on";
      if (!countsTracked) {
        notMeasured.push({
          check: "statistics",
          reason: "track_counts is off: scans, live and dead rows and cache figures are not collected, so seq scans, dead rows, unused indexes and the cache hit ratio cannot be judged",
        });
      }
      findings.push(...analyzeSettings(db, kind));
      const statsSince = db.statsReset ? `since statistics were reset (${db.statsReset})` : "since statistics began";
      if (kind === "pglite") {
        notMeasured.push({
          check: "autovacuum",
          reason: "embedded PGlite runs no autovacuum daemon: last_autovacuum and last_autoanalyze stay empty and dead rows remain until a manual VACUUM",
        });
      }

      await step("reading tables: sizes, rows, dead rows, scans, vacuum and analyze times");
      const tables = (await attempt("tables", () => readTables(query))) ?? [];
      let seqScanTables: TableRow[] = [];
      let candidates: ColumnCandidate[] = [];
      if (countsTracked) {
        const analysis = analyzeTables(tables, db, kind, thresholds);
        findings.push(...analysis.findings);
        seqScanTables = analysis.seqScanTables;
        if (seqScanTables.length > 0) {
          candidates = (await attempt("tables", () => readUnindexedColumns(query, seqScanTables.map((t) => t.oid)))) ?? [];
        }
      }

      await step(`reading indexes (${tables.length} tables)`);
      const indexes = (await attempt("indexes", () => readIndexes(query))) ?? [];
      const indexAnalysis = analyzeIndexes(indexes, thresholds, statsSince, countsTracked);
      findings.push(...indexAnalysis.findings);

      await step("computing cache hit ratios");
      let cache: CacheReport | null = null;
      if (countsTracked) {
        const analysis = analyzeCache(db, tables, db.sharedBuffers, input.topN);
        cache = analysis.cache;
        findings.push(...analysis.findings);
        if (cache.databaseHitRatio === null) notMeasured.push({ check: "cache", reason: "pg_stat_database has no block counts for this database yet" });
      }

      await step("reading connections");
      let connections: ConnectionsReport | null = null;
      if (kind === "pglite") {
        notMeasured.push({
          check: "connections",
          reason: "embedded PGlite has one connection, in this process: pg_stat_activity shows only it and max_connections does not apply",
        });
      } else {
        const states = await attempt("connections", () => readConnections(query));
        if (states) {
          const analysis = analyzeConnections(states, db);
          connections = analysis.connections;
          findings.push(...analysis.findings);
        }
      }

      await step("looking for pg_stat_statements");
      let statements: StatementRow[] | null = null;
      let busiest: StatementRow[] = [];
      const schema = await attempt("statements", () => findStatementsExtension(query));
      if (schema === null) {
        if (!notMeasured.some((n) => n.check === "statements")) {
          notMeasured.push({
            check: "statements",
            reason:
              kind === "pglite"
                ? "pg_stat_statements is not available in embedded PGlite"
                : "pg_stat_statements is not installed in this database (it needs shared_preload_libraries = 'pg_stat_statements' and CREATE EXTENSION pg_stat_statements; taita never creates it)",
          });
        }
      } else {
        statements = await attempt("statements", () => readStatements(query, schema, { orderBy: "mean", limit: input.topN, textLength: 500 }));
        if (statements) {
          findings.push(...analyzeStatements(statements, thresholds));
          if (seqScanTables.length > 0) {
            busiest = (await attempt("statements", () => readStatements(query, schema, { orderBy: "total", limit: 200, textLength: 2000 }))) ?? [];
          }
        }
      }

      suggestIndexColumns(findings, seqScanTables, candidates, busiest);

      await step("the API's recorded operations");
      let operations: ApiOperationStat[] | null = null;
      if (options.operations) {
        const source = options.operations;
        operations = await attempt("operations", async () =>
          (await source(ctx.signal, ctx.db)).sort((a, b) => b.p95Ms - a.p95Ms).slice(0, input.topN),
        );
        if (operations) findings.push(...analyzeOperations(operations, thresholds));
        if (operations?.length === 0) notMeasured.push({ check: "operations", reason: NOTHING_RECORDED });
      } else {
        notMeasured.push({ check: "operations", reason: OPERATIONS_NOT_WIRED });
      }

      ctx.signal.throwIfAborted();
      const sorted = sortFindings(findings);
      const summary = { HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0 };
      for (const f of sorted) summary[f.severity]++;
      const report: TaitaReport = {
        generatedAt: new Date().toISOString(),
        database: {
          kind,
          name: db.name,
          version: db.version,
          versionNum: db.versionNum,
          sizeBytes: db.sizeBytes,
          size: formatBytes(db.sizeBytes),
          statsReset: db.statsReset,
          xidAge: db.xidAge,
        },
        summary,
        tables: tables.slice(0, input.topN).map(tableSummary),
        indexes: {
          count: indexes.length,
          totalBytes: indexes.reduce((sum, i) => sum + i.bytes, 0),
          largest: indexes.slice(0, input.topN).map(indexSummary),
          unused: indexAnalysis.unused.slice(0, input.topN).map(indexSummary),
          duplicates: indexAnalysis.duplicates,
        },
        cache,
        connections,
        statements,
        operations,
        findings: sorted,
        notMeasured,
        thresholds: input,
      };
      await ctx.progress(`done: ${summary.HIGH} high, ${summary.MEDIUM} medium, ${summary.LOW} low findings`);
      return {
        status: "success",
        output: report,
        metadata: { durationMs: Date.now() - started, queries: query.count(), findings: summary },
      };
    },

    async health(ctx) {
      try {
        await sqlFor(ctx.db)("SELECT 1 AS ok");
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: errorMessage(error) };
      }
    },
  });
}

/**
 * The API's own record (lib/observability, ObservedOperation): the operations of the last hours, summed
 * by lib/observability/store.ts — its rows read here by plain SQL when the context has it (a worker),
 * through Prisma otherwise.
 */
async function recordedOperations(_signal: AbortSignal, db: AgentContext["db"]): Promise<ApiOperationStat[]> {
  const since = new Date(Date.now() - RECORDED_HOURS * 3_600_000);
  if (!db.sql) return readOperations(db.prisma, since);
  const rows = await db.sql<Record<keyof ObservedHour, string | number>>(
    `SELECT "operation", "count", "totalMs"::float8 AS "totalMs", "maxMs"::float8 AS "maxMs", "sqlCounted", "sqlStatements", "histogram"
       FROM "ObservedOperation" WHERE "hour" >= $1::timestamptz`,
    [hourOf(since).toISOString()],
  );
  // A driver may answer numbers as text (PGlite's thread answers every column so).
  return summarizeOperations(
    rows.map((row) => ({
      operation: String(row.operation),
      histogram: String(row.histogram),
      count: Number(row.count),
      totalMs: Number(row.totalMs),
      maxMs: Number(row.maxMs),
      sqlCounted: Number(row.sqlCounted),
      sqlStatements: Number(row.sqlStatements),
    })),
  );
}

export const agent = createTaitaAgent({ operations: recordedOperations });
