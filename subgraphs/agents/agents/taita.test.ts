/**
 * taita against real databases: an in-memory PGlite with the app's migrations, and a fresh PostgreSQL
 * database (skipped with a printed reason when no server answers), each seeded with a slow pattern:
 * a 20,000-row table filtered 20 times on an unindexed column, two identical indexes and a left-prefix
 * one, a large index nothing reads, and a table with half its rows deleted.
 */
import crypto from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, pgExecutor, pgliteExecutor } from "../../../lib/db/migrations.ts";
import { PGLITE_EXTENSIONS } from "../../../lib/db/pglite-extensions.mjs";
import { latencyHistogram, recordMs } from "../../../lib/observability/latency.ts";
import { writeWindow } from "../../../lib/observability/store.ts";
import { PrismaClient } from "../../../prisma/generated/client.ts";
import { adminUrl, createPostgresDatabase, postgresUnavailable } from "../../../tests/utils/databases.ts";
import type { AgentContext, AgentResult } from "../runtime/contract.ts";
import { sqlOf, type Sql } from "../runtime/sql.ts";
import { agent, createTaitaAgent, readOnlyQuery, type TaitaReport } from "./taita.ts";
import { analyzeIndexes, filterColumn, type IndexRow, type StatementRow, type Thresholds } from "./taita-checks.ts";

const TIMEOUT = 120_000;

const SEED = `
  CREATE TABLE taita_slow (id int PRIMARY KEY, v int NOT NULL, w int NOT NULL, z int NOT NULL, note text);
  INSERT INTO taita_slow SELECT g, g, g % 1000, g % 97, 'row ' || g FROM generate_series(1, 20000) g;
  CREATE INDEX taita_slow_v_a ON taita_slow (v);
  CREATE INDEX taita_slow_v_b ON taita_slow (v);
  CREATE INDEX taita_slow_z ON taita_slow (z);
  CREATE INDEX taita_slow_z_v ON taita_slow (z, v);
  CREATE TABLE taita_unused (id int PRIMARY KEY, code text NOT NULL);
  INSERT INTO taita_unused SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
  CREATE INDEX taita_unused_code ON taita_unused (code);
  -- No autovacuum on it: its dead rows must still be there when taita looks.
  CREATE TABLE taita_churn (id int PRIMARY KEY, payload text) WITH (autovacuum_enabled = false);
  INSERT INTO taita_churn SELECT g, repeat('x', 50) FROM generate_series(1, 20000) g;
  DELETE FROM taita_churn WHERE id % 2 = 0;
  CREATE SEQUENCE taita_seq;
  ANALYZE taita_slow;
`;

/** The slow pattern: 20 seq scans of taita_slow filtering on w, which no index leads. */
const WORKLOAD = Array.from({ length: 20 }, (_, i) => `SELECT count(*) AS n FROM taita_slow WHERE w = ${i}`);

/** Everything taita must leave alone: the schema (tables, columns, indexes, constraints, functions, triggers, extensions) and the seeded data. */
const FINGERPRINT = `
  SELECT md5(string_agg(x, E'\\n' ORDER BY x)) AS schema,
         (SELECT md5(string_agg(id::text || ':' || v || ':' || w, ',' ORDER BY id)) FROM taita_slow) AS slow,
         (SELECT md5(string_agg(id::text, ',' ORDER BY id)) FROM taita_churn) AS churn,
         (SELECT count(*)::int FROM taita_unused) AS unused,
         (SELECT last_value::text || is_called::text FROM taita_seq) AS seq
    FROM (
      SELECT format('%s.%s %s', n.nspname, c.relname, c.relkind) AS x
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
      UNION ALL
      SELECT format('%s.%s %s %s', c.relnamespace::regnamespace, c.relname, a.attname, format_type(a.atttypid, a.atttypmod))
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relnamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema')
      UNION ALL
      SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid
       WHERE c.relnamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema')
      UNION ALL
      SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema')
      UNION ALL
      SELECT p.proname || ' ' || md5(p.prosrc) FROM pg_proc p WHERE p.pronamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema')
      UNION ALL
      SELECT tgname FROM pg_trigger WHERE NOT tgisinternal
      UNION ALL
      SELECT extname || ' ' || extversion FROM pg_extension
    ) s`;

interface Fingerprint {
  schema: string;
  slow: string;
  churn: string;
  unused: number;
  seq: string;
}

// Small thresholds: a test database is small. The seeded unused index is ~1 MB, the app's empty ones 8-16 kB.
const INPUT = { largeTableRows: 10_000, topN: 10, unusedIndexMinBytes: 100_000 };

function context(prisma: PrismaClient, kind: "pglite" | "postgres", signal = new AbortController().signal, sql?: Sql) {
  const progress: string[] = [];
  const ctx: AgentContext = {
    log: pino({ level: "silent" }),
    progress: async (message) => {
      progress.push(message);
    },
    signal,
    db: { prisma, kind, ...(sql ? { sql } : {}) },
  };
  return { ctx, progress };
}

async function runTaita(prisma: PrismaClient, kind: "pglite" | "postgres", a = agent, sql?: Sql) {
  const { ctx, progress } = context(prisma, kind, undefined, sql);
  const result: AgentResult = await a.run({ id: crypto.randomUUID(), goal: "database health", input: a.input.parse(INPUT) }, ctx);
  return { result, report: result.output as TaitaReport, progress };
}

/** A Prisma client any use of which fails the test: a worker's taita sends Prisma nothing. */
const noPrisma = new Proxy({} as PrismaClient, {
  get: (_target, key) => {
    throw new Error(`Prisma used: ${String(key)}`);
  },
});

/** What the report says apart from the moment and the activity of the reads themselves. */
function stable(report: TaitaReport) {
  return { findings: report.findings.map((f) => [f.kind, f.severity, f.target]), notMeasured: report.notMeasured, operations: report.operations, indexes: report.indexes.largest.map((i) => i.index) };
}

function findingsOf(report: TaitaReport, kind: string) {
  return report.findings.filter((f) => f.kind === kind);
}

/** What both backends must report on the seeded pattern. */
function expectCommonFindings(report: TaitaReport, result: AgentResult, progress: string[]) {
  expect(result.status).toBe("success");
  // JSON in, JSON out: nothing (bigint, Date, undefined) is lost on the way through JSON.
  expect(JSON.parse(JSON.stringify(result.output))).toEqual(result.output);
  expect(progress.length).toBeGreaterThanOrEqual(5);

  expect(report.database.sizeBytes).toBeGreaterThan(0);
  expect(report.tables.length).toBeGreaterThan(0);
  expect(report.tables.length).toBeLessThanOrEqual(INPUT.topN);
  expect(report.tables.map((t) => t.table)).toEqual(expect.arrayContaining(["public.taita_slow", "public.taita_unused", "public.taita_churn"]));
  expect(report.tables.every((t) => t.totalBytes >= t.tableBytes && t.totalBytes > 0)).toBe(true);
  const slowTable = report.tables.find((t) => t.table === "public.taita_slow")!;
  expect(slowTable.indexBytes).toBeGreaterThan(0);
  expect(slowTable.seqScans).toBeGreaterThanOrEqual(20);
  expect(report.indexes.count).toBeGreaterThan(5);
  expect(report.indexes.largest.length).toBeGreaterThan(0);

  expect(report.findings.length).toBeGreaterThan(0);
  expect(report.findings.every((f) => ["HIGH", "MEDIUM", "LOW", "INFO"].includes(f.severity) && f.target && f.detail && f.recommendation)).toBe(true);

  const seq = findingsOf(report, "SEQ_SCANS");
  expect(seq.map((f) => f.target)).toContain("public.taita_slow");
  const seqSlow = seq.find((f) => f.target === "public.taita_slow")!;
  expect(seqSlow.recommendation).toContain("CREATE INDEX CONCURRENTLY ON public.taita_slow (");
  expect(seqSlow.evidence?.unindexedColumns).toEqual(expect.arrayContaining(["w"]));
  expect(seqSlow.evidence?.unindexedColumns).not.toContain("v");
  // Small tables' scans are no finding.
  expect(seq.every((f) => f.target.startsWith("public.taita_"))).toBe(true);

  const duplicates = findingsOf(report, "DUPLICATE_INDEX");
  const identical = duplicates.find((f) => f.target === "public.taita_slow_v_b");
  expect(identical).toBeDefined();
  expect(identical!.severity).toBe("MEDIUM");
  expect(identical!.detail).toContain("public.taita_slow_v_a");
  expect(identical!.recommendation).toMatch(/^DROP INDEX CONCURRENTLY public\.taita_slow_v_b;.*duplicate of public\.taita_slow_v_a/);
  const prefix = duplicates.find((f) => f.target === "public.taita_slow_z");
  expect(prefix).toBeDefined();
  expect(prefix!.severity).toBe("LOW");
  expect(prefix!.detail).toContain("public.taita_slow_z_v");
  expect(report.indexes.duplicates).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ index: "public.taita_slow_v_b", duplicateOf: "public.taita_slow_v_a", relation: "identical" }),
      expect.objectContaining({ index: "public.taita_slow_z", duplicateOf: "public.taita_slow_z_v", relation: "left-prefix" }),
    ]),
  );

  const unused = findingsOf(report, "UNUSED_INDEX");
  expect(unused.map((f) => f.target)).toContain("public.taita_unused_code");
  expect(unused.find((f) => f.target === "public.taita_unused_code")!.recommendation).toContain("DROP INDEX CONCURRENTLY public.taita_unused_code");
  // Primary keys are never unused-index findings, and the duplicate already advised dropped is not repeated.
  expect(unused.map((f) => f.target)).not.toContain("public.taita_unused_pkey");
  expect(unused.map((f) => f.target)).not.toContain("public.taita_slow_v_b");

  const dead = findingsOf(report, "DEAD_ROWS");
  expect(dead.map((f) => f.target)).toContain("public.taita_churn");
  const churn = dead.find((f) => f.target === "public.taita_churn")!;
  expect(churn.recommendation).toContain("VACUUM (ANALYZE) public.taita_churn");
  expect(churn.evidence?.deadRows).toBeGreaterThanOrEqual(10_000);

  // The default agent reads the API's record (lib/observability), empty in these databases: nothing recorded.
  expect(report.operations).toEqual([]);
  expect(report.notMeasured.map((n) => n.check)).toContain("operations");
  const order = { HIGH: 0, MEDIUM: 1, LOW: 2, INFO: 3 };
  const severities = report.findings.map((f) => order[f.severity]);
  expect(severities).toEqual([...severities].sort((a, b) => a - b));
  expect(report.summary.HIGH + report.summary.MEDIUM + report.summary.LOW + report.summary.INFO).toBe(report.findings.length);
}

describe("taita on PGlite", () => {
  let db: PGlite;
  let prisma: PrismaClient;
  const fingerprint = async () => (await db.query<Fingerprint>(FINGERPRINT)).rows[0]!;

  beforeAll(async () => {
    db = new PGlite({ extensions: PGLITE_EXTENSIONS });
    await applyMigrations(pgliteExecutor(db));
    await db.exec(SEED);
    for (const sql of WORKLOAD) await db.query(sql);
    prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  }, TIMEOUT);

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.close();
  });

  it(
    "reports the seeded problems, says what PGlite cannot measure, and changes nothing",
    async () => {
      const before = await fingerprint();
      const { result, report, progress } = await runTaita(prisma, "pglite");
      expectCommonFindings(report, result, progress);

      expect(report.database.kind).toBe("pglite");
      expect(report.database.versionNum).toBeGreaterThanOrEqual(170000);
      const notMeasured = report.notMeasured.map((n) => n.check);
      expect(notMeasured).toEqual(expect.arrayContaining(["connections", "statements", "autovacuum", "operations"]));
      expect(report.connections).toBeNull();
      expect(report.statements).toBeNull();
      expect(findingsOf(report, "DEAD_ROWS").find((f) => f.target === "public.taita_churn")!.detail).toContain("no autovacuum");
      expect(report.cache?.databaseHitRatio).toBeGreaterThan(0);
      // Nothing analyzes behind PGlite's back: 20,000 inserted rows never analyzed are stale statistics.
      expect(findingsOf(report, "STALE_STATISTICS").map((f) => f.target)).toContain("public.taita_unused");
      expect(findingsOf(report, "AUTOVACUUM")).toEqual([]);

      expect(await fingerprint()).toEqual(before);
    },
    TIMEOUT,
  );

  it(
    "reports the API's operations when a recorder is wired in",
    async () => {
      const withOperations = createTaitaAgent({
        operations: async () => [
          { operation: "listings", count: 120, p95Ms: 2_400, sqlStatements: 4 },
          { operation: "me", count: 900, p95Ms: 12, sqlStatements: 1 },
        ],
      });
      const { result, report } = await runTaita(prisma, "pglite", withOperations);
      expect(result.status).toBe("success");
      expect(report.operations?.map((o) => o.operation)).toEqual(["listings", "me"]);
      expect(report.notMeasured.map((n) => n.check)).not.toContain("operations");
      const slow = findingsOf(report, "SLOW_OPERATION");
      expect(slow.map((f) => f.target)).toEqual(["listings"]);
    },
    TIMEOUT,
  );

  it(
    "queries in read-only transactions, stops when aborted, and answers health",
    async () => {
      const query = readOnlyQuery(prisma, 5_000);
      await expect(query("SELECT nextval('taita_seq') AS n")).rejects.toThrow(/read-only transaction/);
      expect((await fingerprint()).seq).toBe("1false");

      const controller = new AbortController();
      controller.abort(new Error("cancelled by the test"));
      const { ctx } = context(prisma, "pglite", controller.signal);
      await expect(agent.run({ id: crypto.randomUUID(), goal: "", input: agent.input.parse({}) }, ctx)).rejects.toThrow("cancelled by the test");

      expect(await agent.health({ db: { prisma, kind: "pglite" }, log: ctx.log })).toEqual({ ok: true });
    },
    TIMEOUT,
  );
  it(
    "through the database's own driver (a worker's ctx.db.sql): the same report and read-only scripts, no Prisma query",
    async () => {
      // As lib/db/database.ts's PGlite executeSql: a script (no parameters) answers with its last statement's rows.
      const sql = sqlOf({
        executeSql: async (text: string, values: unknown[] = []) => (values.length === 0 ? { rows: (await db.exec(text)).at(-1)?.rows ?? [] } : { rows: (await db.query(text, values)).rows }),
      });
      const before = await fingerprint();
      const viaSql = await runTaita(noPrisma, "pglite", agent, sql);
      expectCommonFindings(viaSql.report, viaSql.result, viaSql.progress);
      expect(await fingerprint()).toEqual(before);
      expect(stable(viaSql.report)).toEqual(stable((await runTaita(prisma, "pglite")).report));

      // The API's recorded operations read by plain SQL sum as lib/observability's readOperations does.
      const histogram = latencyHistogram();
      for (const ms of [5, 9, 1_800]) recordMs(histogram, ms);
      await writeWindow(prisma, new Date(), [{ operation: "listings", count: 3, totalMs: 1_814, maxMs: 1_800, sqlCounted: 3, sqlStatements: 12, histogram }], []);
      const operations = (await runTaita(noPrisma, "pglite", agent, sql)).report.operations;
      expect(operations).toEqual([{ operation: "listings", count: 3, p95Ms: expect.any(Number), meanMs: 604.667, maxMs: 1_800, sqlStatements: 4 }]);
      expect(operations).toEqual((await runTaita(prisma, "pglite")).report.operations);

      const query = readOnlyQuery(noPrisma, 5_000, sql);
      await expect(query("SELECT nextval('taita_seq') AS n")).rejects.toThrow(/read-only transaction/);
      // (PGlite, single-user, has no statement timeout to test: the PostgreSQL test below checks it.)
      expect((await fingerprint()).seq).toBe("1false");
      // Nothing of a failed script stays open: the next statement runs outside any transaction.
      expect(await sql<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro")).toEqual([{ ro: "off" }]);
      expect(await agent.health({ db: { prisma: noPrisma, kind: "pglite", sql }, log: pino({ level: "silent" }) })).toEqual({ ok: true });
    },
    TIMEOUT,
  );
});

const unavailable = await postgresUnavailable();
if (unavailable) console.warn(`SKIPPING taita on PostgreSQL: ${adminUrl} is not reachable (${unavailable})`);

describe.skipIf(unavailable !== undefined)("taita on PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let pool: pg.Pool;
  let prisma: PrismaClient;
  const fingerprint = async () => (await pool.query<Fingerprint>(FINGERPRINT)).rows[0]!;

  beforeAll(async () => {
    database = await createPostgresDatabase("taita_test");
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    await applyMigrations(pgExecutor(pool));
    // The test (not taita) installs pg_stat_statements; without shared_preload_libraries it cannot be read.
    await pool.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").catch(() => {});
    const client = await pool.connect();
    try {
      await client.query(SEED);
      for (const sql of WORKLOAD) await client.query(sql);
      // Publish this backend's counters now rather than up to a second later.
      await client.query("SELECT pg_stat_force_next_flush()");
      await client.query("SELECT 1");
    } finally {
      client.release();
    }
    prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  }, TIMEOUT);

  afterAll(async () => {
    await prisma?.$disconnect();
    await pool?.end();
    await database?.drop();
  });

  it(
    "reports the seeded problems, connections and pg_stat_statements' state, and changes nothing",
    async () => {
      const before = await fingerprint();
      const { result, report, progress } = await runTaita(prisma, "postgres");
      expectCommonFindings(report, result, progress);

      expect(report.database.kind).toBe("postgres");
      expect(report.database.name).toBe(database.name);
      expect(report.database.versionNum).toBeGreaterThanOrEqual(150000);
      expect(report.connections).not.toBeNull();
      expect(report.connections!.total).toBeGreaterThanOrEqual(1);
      expect(report.connections!.max).toBeGreaterThan(report.connections!.total);
      expect(report.notMeasured.map((n) => n.check)).not.toContain("connections");
      expect(report.notMeasured.map((n) => n.check)).not.toContain("autovacuum");
      const autovacuum = (await pool.query<{ autovacuum: string }>("SHOW autovacuum")).rows[0]!.autovacuum;
      expect(findingsOf(report, "AUTOVACUUM").length).toBe(autovacuum === "on" ? 0 : 1);
      expect(findingsOf(report, "DEAD_ROWS").find((f) => f.target === "public.taita_churn")!.detail).toMatch(
        autovacuum === "on" ? /autovacuum is turned off for this table/ : /autovacuum is off on this server/,
      );

      const installed = (await pool.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'")).rowCount === 1;
      const statementsGap = report.notMeasured.find((n) => n.check === "statements");
      if (report.statements === null) {
        // Installed but not preloaded (this server), or not installed: said, not failed.
        expect(statementsGap?.reason).toMatch(installed ? /shared_preload_libraries/ : /not installed/);
      } else {
        // A server with shared_preload_libraries = 'pg_stat_statements': its statements, and the seq
        // scans' recommendation names the column the workload filters on.
        expect(installed).toBe(true);
        expect(statementsGap).toBeUndefined();
        expect(report.statements.length).toBeGreaterThan(0);
        const means = report.statements.map((s) => s.meanMs);
        expect(means).toEqual([...means].sort((x, y) => y - x));
        const seqSlow = findingsOf(report, "SEQ_SCANS").find((f) => f.target === "public.taita_slow")!;
        expect(seqSlow.evidence?.filterColumn).toBe("w");
        expect(seqSlow.recommendation).toMatch(/^CREATE INDEX CONCURRENTLY ON public\.taita_slow \(w\);/);
      }

      expect(await fingerprint()).toEqual(before);
    },
    TIMEOUT,
  );

  it(
    "through the database's own driver: read-only scripts on a pool, and Prisma when the driver loses a script's rows",
    async () => {
      // A script's last rows, as Database.executeSql promises; and as the pool alone answers one (an array).
      const scripts = sqlOf({
        executeSql: async (text: string, values?: unknown[]) => {
          const result = (await pool.query(text, values)) as pg.QueryResult | pg.QueryResult[];
          return { rows: Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows };
        },
      });
      const lossy = sqlOf({ executeSql: async (text: string, values?: unknown[]) => ({ rows: (await pool.query(text, values)).rows }) });

      const before = await fingerprint();
      const viaSql = await runTaita(noPrisma, "postgres", agent, scripts);
      expectCommonFindings(viaSql.report, viaSql.result, viaSql.progress);
      expect(viaSql.report.connections!.total).toBeGreaterThanOrEqual(1);
      expect(await fingerprint()).toEqual(before);

      const readOnly = readOnlyQuery(noPrisma, 5_000, scripts);
      await expect(readOnly("SELECT nextval('taita_seq') AS n")).rejects.toThrow(/read-only transaction/);
      await expect(readOnlyQuery(noPrisma, 100, scripts)("SELECT pg_sleep(2)")).rejects.toThrow(/statement timeout/);
      const fallback = readOnlyQuery(prisma, 5_000, lossy);
      expect(await fallback<{ n: number }>("SELECT 1 AS n")).toEqual([{ n: 1 }]);
      await expect(fallback("SELECT nextval('taita_seq') AS n")).rejects.toThrow(/read-only transaction/);
      expect((await fingerprint()).seq).toBe(before.seq);
    },
    TIMEOUT,
  );
});

describe("taita's index analysis", () => {
  const thresholds: Thresholds = {
    largeTableRows: 10_000,
    unusedIndexMinBytes: 0,
    deadRowRatio: 0.2,
    minDeadRows: 1_000,
    minSeqScans: 10,
    slowStatementMs: 200,
    slowOperationMs: 1_000,
  };
  const index = (over: Partial<IndexRow>): IndexRow => ({
    oid: 1,
    schema: "public",
    table: "t",
    qualifiedTable: "public.t",
    name: "i",
    qualified: "public.i",
    method: "btree",
    bytes: 8192,
    scans: 0,
    unique: false,
    primary: false,
    valid: true,
    constraint: null,
    keys: "1",
    keyCount: 1,
    columnCount: 1,
    opclasses: "1978",
    collations: "0",
    options: "0",
    expressions: null,
    predicate: null,
    columns: ["a"],
    definition: "CREATE INDEX i ON public.t USING btree (a)",
    ...over,
  });

  it("keeps the constraint's index of two identical ones, and leaves unique and INCLUDE prefixes alone", () => {
    const indexes = [
      index({ oid: 10, name: "plain", qualified: "public.plain", scans: 50 }),
      index({ oid: 11, name: "t_a_key", qualified: "public.t_a_key", unique: true, constraint: "t_a_key" }),
      index({ oid: 12, name: "uniq_prefix", qualified: "public.uniq_prefix", keys: "2", opclasses: "1978", unique: true }),
      index({ oid: 13, name: "wide", qualified: "public.wide", keys: "2 3", keyCount: 2, columnCount: 2, opclasses: "1978 1978", collations: "0 0", options: "0 0" }),
      index({ oid: 14, name: "with_include", qualified: "public.with_include", keys: "2 4", keyCount: 1, columnCount: 2, opclasses: "1978 1978", collations: "0 0", options: "0 0" }),
      index({ oid: 15, name: "desc_prefix", qualified: "public.desc_prefix", keys: "2", options: "3" }),
      index({ oid: 16, name: "partial", qualified: "public.partial", keys: "2", predicate: "(a > 0)" }),
    ];
    const { findings, duplicates } = analyzeIndexes(indexes, thresholds, "since statistics began", true);
    expect(duplicates).toEqual([{ index: "public.plain", duplicateOf: "public.t_a_key", relation: "identical", bytes: 8192 }]);
    const dup = findings.filter((f) => f.kind === "DUPLICATE_INDEX");
    expect(dup.map((f) => f.target)).toEqual(["public.plain"]);
    // Unused: only the non-unique, constraint-free ones not already advised dropped.
    const unused = findings.filter((f) => f.kind === "UNUSED_INDEX").map((f) => f.target);
    expect(unused.length).toBeGreaterThan(0);
    expect(unused.sort()).toEqual(["public.desc_prefix", "public.partial", "public.wide", "public.with_include"]);
  });

  it("does not call indexes unused when counts are not tracked", () => {
    const { findings, unused } = analyzeIndexes([index({})], thresholds, "since statistics began", false);
    expect(unused).toEqual([]);
    expect(findings).toEqual([]);
  });
});

describe("taita's index column suggestion", () => {
  const statement = (queryId: string, query: string, totalMs: number): StatementRow => ({
    queryId,
    calls: 10,
    totalMs,
    meanMs: totalMs / 10,
    maxMs: totalMs,
    rows: 10,
    sharedBlocksHit: 0,
    sharedBlocksRead: 0,
    query,
  });

  it("names the unindexed column the busiest statements on the table compare", () => {
    const statements = [
      statement("1", "SELECT count(*) AS n FROM taita_slow WHERE note LIKE $1", 50),
      statement("2", "SELECT count(*) AS n FROM taita_slow WHERE w = $1", 900),
      statement("3", "SELECT * FROM other WHERE w = $1", 5_000),
      statement("4", 'SELECT "public"."Listing"."id" FROM "public"."Listing" WHERE ("public"."Listing"."sellerId" = $1 AND "public"."Listing"."status" IN ($2))', 300),
    ];
    expect(filterColumn("taita_slow", ["note", "w"], statements)).toMatchObject({ column: "w", statement: { queryId: "2" } });
    expect(filterColumn("Listing", ["sellerId", "title"], statements)).toMatchObject({ column: "sellerId", statement: { queryId: "4" } });
    expect(filterColumn("taita_slow", ["z"], statements)).toBeNull();
    expect(filterColumn("slow", ["w"], statements)).toBeNull();
  });
});
