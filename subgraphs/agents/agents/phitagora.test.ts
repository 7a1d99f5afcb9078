/**
 * phitagora against real databases (an in-memory PGlite with the app's migrations, and a fresh
 * PostgreSQL database, skipped with a printed reason when no server answers), on a seeded slow pattern:
 * a 20,000-row table filtered on a column no index leads and sorted on another, statements sent through
 * Prisma with the API's recorder observing them (lib/db's counting adapter → lib/observability). It
 * must propose those two indexes with a lower plan cost, leave the indexed column and the small table
 * alone, and change nothing (pg_indexes and the schema before = after) — through Prisma, and through the
 * database's own driver as an agent worker runs it (ctx.db.sql and ctx.db.transaction, no Prisma call).
 */
import crypto from "node:crypto";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingAdapterFactory, type StatementCounter } from "../../../lib/db/counting-adapter.ts";
import { applyMigrations, pgExecutor, pgliteExecutor } from "../../../lib/db/migrations.ts";
import { PGLITE_EXTENSIONS } from "../../../lib/db/pglite-extensions.mjs";
import { OperationRecorder } from "../../../lib/observability/operation-recorder.ts";
import { PrismaClient } from "../../../prisma/generated/client.ts";
import { adminUrl, createPostgresDatabase, postgresUnavailable } from "../../../tests/utils/databases.ts";
import os from "node:os";
import { openDatabase, type Database } from "../../../lib/db/database.ts";
import type { AgentContext } from "../runtime/contract.ts";
import { sqlOf, transactionOf, type Sql, type SqlTransaction } from "../runtime/sql.ts";
import { agent, type PhitagoraReport } from "./phitagora.ts";
import { candidatesOf, type PlanNode, type TableInfo } from "./phitagora-plan.ts";
import { explainable } from "./phitagora-sources.ts";

const TIMEOUT = 120_000;

const SEED = `
  CREATE TABLE phi_slow (id int PRIMARY KEY, v int NOT NULL, w int NOT NULL, note text, created timestamptz NOT NULL);
  INSERT INTO phi_slow SELECT g, g, g % 1000, 'row ' || g, timestamptz '2026-01-01' + g * interval '1 minute' FROM generate_series(1, 20000) g;
  CREATE INDEX phi_slow_v ON phi_slow (v);
  CREATE TABLE phi_small (id int PRIMARY KEY, code text NOT NULL);
  INSERT INTO phi_small SELECT g, 'c' || g FROM generate_series(1, 50) g;
  ANALYZE phi_slow;
  ANALYZE phi_small;
`;

/** The slow pattern, as the API would send it: parameterised. */
const WORKLOAD: [string, unknown[]][] = [
  ["SELECT id, note FROM phi_slow WHERE w = $1", [7]],
  ["SELECT id FROM phi_slow ORDER BY created DESC LIMIT $1", [20]],
  ["SELECT id, w FROM phi_slow WHERE v = $1", [42]],
  ["SELECT id FROM phi_small WHERE code = $1", ["c7"]],
];

const INDEXES = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`;

/** The database's own driver, as an agent worker's context has it. */
type PlainSql = { sql: Sql; transaction: SqlTransaction };

function context(prisma: PrismaClient, kind: "pglite" | "postgres", plain?: PlainSql) {
  const progress: string[] = [];
  const ctx: AgentContext = {
    log: pino({ level: "silent" }),
    progress: async (message) => {
      progress.push(message);
    },
    signal: new AbortController().signal,
    db: { prisma: plain ? noPrisma : prisma, kind, ...plain },
  };
  return { ctx, progress };
}

const noPrisma = new Proxy({} as PrismaClient, {
  get: (_target, key) => {
    throw new Error(`Prisma used: ${String(key)}`);
  },
});

/** An in-memory PGlite's statements as lib/db/database.ts's executeSql and transactionSql send them. */
function pglitePlain(db: PGlite): PlainSql {
  const run = async (on: PGlite | Transaction, text: string, values: readonly unknown[] = []) =>
    values.length === 0 ? ((await on.exec(text)).at(-1)?.rows ?? []) : (await on.query(text, [...values])).rows;
  return {
    sql: (async (text: string, values?: readonly unknown[]) => run(db, text, values)) as Sql,
    transaction: ((fn: (sql: Sql) => Promise<unknown>) => db.transaction((tx) => fn((async (text: string, values?: readonly unknown[]) => run(tx, text, values)) as Sql))) as SqlTransaction,
  };
}

/** A Prisma client whose statements the API's recorder observes, as lib/db/database.ts builds it. */
function recordedClient(factory: SqlDriverAdapterFactory) {
  const counter: StatementCounter = { statements: 0 };
  const prisma = new PrismaClient({ adapter: countingAdapterFactory(factory, counter) });
  const recorder = new OperationRecorder(prisma, pino({ level: "silent" }));
  counter.observer = recorder.statement;
  return { prisma, recorder };
}

async function runWorkload(prisma: PrismaClient, recorder: OperationRecorder) {
  for (let round = 0; round < 5; round++) {
    for (const [sql, params] of WORKLOAD) await prisma.$queryRawUnsafe(sql, ...params);
  }
  await recorder.flush();
}

async function expectProposals(prisma: PrismaClient, kind: "pglite" | "postgres", indexes: () => Promise<unknown>, plain?: PlainSql) {
  const before = await indexes();
  const { ctx, progress } = context(prisma, kind, plain);
  const result = await agent.run({ id: crypto.randomUUID(), goal: "indexes", input: agent.input.parse({ statements: 20 }) }, ctx);
  expect(result.status).toBe("success");
  const report = result.output as PhitagoraReport;
  expect(await indexes()).toEqual(before);

  const examined = report.statements.map((s) => s.query);
  expect(examined).toEqual(expect.arrayContaining(WORKLOAD.map(([sql]) => sql)));
  expect(report.statements.every((s) => s.source === "api")).toBe(true);
  expect(report.statements.filter((s) => WORKLOAD.some(([sql]) => sql === s.query)).every((s) => s.cost !== null && !s.error)).toBe(true);

  const byColumns = new Map(report.proposals.filter((p) => p.table === "public.phi_slow").map((p) => [p.columns.join(","), p]));
  const w = byColumns.get("w");
  expect(w).toBeDefined();
  expect(w!.createIndex).toBe('CREATE INDEX CONCURRENTLY "phi_slow_w_idx" ON "public"."phi_slow" ("w");');
  expect(w!.costAfter).toBeLessThan(w!.costBefore);
  expect(w!.reason).toBe("filter");
  expect(w!.statements.map((s) => s.query)).toEqual(["SELECT id, note FROM phi_slow WHERE w = $1"]);

  const created = byColumns.get("created");
  expect(created).toBeDefined();
  expect(created!.createIndex).toBe('CREATE INDEX CONCURRENTLY "phi_slow_created_idx" ON "public"."phi_slow" ("created");');
  expect(created!.costAfter).toBeLessThan(created!.costBefore);
  expect(created!.reason).toBe("sort");

  // v has its index; phi_small is small: nothing to propose for either.
  expect(report.proposals.map((p) => p.columns.join(","))).not.toContain("v");
  expect(report.proposals.map((p) => p.table)).not.toContain("public.phi_small");
  expect(progress.at(-1)).toMatch(/^done: \d+ index proposals/);
  return report;
}

describe("phitagora's choice of statements", () => {
  it("explains single statements an index could serve, never catalog reads, its own, or a second statement", () => {
    expect(explainable('SELECT "id" FROM "public"."Listing" WHERE "title" = \'a;b\' AND "sellerId" = $1')).toBe(true);
    expect(explainable("WITH x AS (SELECT 1) DELETE FROM t WHERE id = $1;")).toBe(true);
    expect(explainable("SELECT 1 FROM t; DROP TABLE t")).toBe(false);
    expect(explainable('INSERT INTO "Listing" ("id") VALUES ($1)')).toBe(false);
    expect(explainable("SELECT relname FROM pg_class WHERE oid = $1")).toBe(false);
    expect(explainable("PREPARE phitagora_1 AS SELECT 1")).toBe(false);
  });
});

describe("phitagora's plan reading", () => {
  const table: TableInfo = { schema: "public", name: "Listing", rows: 50_000, bytes: 1, columns: { sellerId: "uuid", price: "bigint", status: "text", attributes: "jsonb", createdAt: "timestamp" } };
  const tables = new Map([["public.Listing", table]]);
  const scan = (filter?: string): PlanNode => ({ "Node Type": "Seq Scan", "Relation Name": "Listing", Schema: "public", Alias: "Listing", Filter: filter, "Total Cost": 100, "Plan Rows": 10 });

  it("puts equality columns before one range column, and skips types a btree does not serve", () => {
    const plan = scan(`(("Listing".price > $2) AND ("Listing"."sellerId" = $1) AND ("Listing".attributes @> $3) AND ($4 = "Listing".status))`);
    expect(candidatesOf(plan, tables, 1_000).map((c) => c.columns.map((x) => x.column))).toEqual([["sellerId", "status", "price"]]);
  });

  it("reads a sort over a seq scan with its filter's equality columns first, and ignores small tables", () => {
    const mixed: PlanNode = { "Node Type": "Sort", "Sort Key": [`"Listing".price`, `"Listing"."createdAt" DESC`], "Total Cost": 200, "Plan Rows": 10, Plans: [scan()] };
    expect(candidatesOf(mixed, tables, 1_000).map((c) => c.columns)).toEqual([[{ column: "price" }, { column: "createdAt", descending: true }]]);
    const plan: PlanNode = { "Node Type": "Sort", "Sort Key": [`"Listing"."createdAt" DESC`], "Total Cost": 200, "Plan Rows": 10, Plans: [scan(`("Listing"."sellerId" = $1)`)] };
    expect(candidatesOf(plan, tables, 1_000).map((c) => [c.reason, c.columns])).toEqual([
      ["filter", [{ column: "sellerId" }]],
      ["sort", [{ column: "sellerId" }, { column: "createdAt" }]],
    ]);
    expect(candidatesOf(plan, tables, 100_000)).toEqual([]);
  });
});

describe("phitagora on PGlite", () => {
  let db: PGlite;
  let prisma: PrismaClient;
  let recorder: OperationRecorder;

  beforeAll(async () => {
    db = new PGlite({ extensions: PGLITE_EXTENSIONS });
    await applyMigrations(pgliteExecutor(db));
    await db.exec(SEED);
    ({ prisma, recorder } = recordedClient(new PrismaPGlite(db)));
    await runWorkload(prisma, recorder);
  }, TIMEOUT);

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.close();
  });

  it(
    "proposes the missing indexes with their measured cost, and leaves the schema as it was",
    async () => {
      await expectProposals(prisma, "pglite", async () => (await db.query(INDEXES)).rows);
      expect((await db.query(`SELECT count(*)::int AS n FROM pg_prepared_statements`)).rows).toEqual([{ n: 0 }]);
    },
    TIMEOUT,
  );

  it(
    "the same through the database's own driver, no Prisma call",
    async () => {
      await expectProposals(prisma, "pglite", async () => (await db.query(INDEXES)).rows, pglitePlain(db));
      expect((await db.query(`SELECT count(*)::int AS n FROM pg_prepared_statements`)).rows).toEqual([{ n: 0 }]);
    },
    TIMEOUT,
  );
});

const unavailable = await postgresUnavailable();
if (unavailable) console.warn(`SKIPPING phitagora on PostgreSQL: ${adminUrl} is not reachable (${unavailable})`);

describe.skipIf(unavailable !== undefined)("phitagora on PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let pool: pg.Pool;
  let prisma: PrismaClient;
  let recorder: OperationRecorder;

  beforeAll(async () => {
    database = await createPostgresDatabase("phitagora_test");
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    await applyMigrations(pgExecutor(pool));
    await pool.query(SEED);
    ({ prisma, recorder } = recordedClient(new PrismaPg(pool)));
    await runWorkload(prisma, recorder);
  }, TIMEOUT);

  afterAll(async () => {
    await prisma?.$disconnect();
    await pool?.end();
    await database?.drop();
  });

  it(
    "proposes the missing indexes with their measured cost, and leaves the schema as it was",
    async () => {
      const report = await expectProposals(prisma, "postgres", async () => (await pool.query(INDEXES)).rows);
      expect(report.notMeasured.map((n) => n.check)).toContain("pg_stat_statements");
    },
    TIMEOUT,
  );

  it(
    "the same through the database's own driver (lib/db/database.ts's executeSql and transactionSql), no Prisma call",
    async () => {
      const db: Database = await openDatabase({ DATABASE_URL: database.url, DATA_DIR: os.tmpdir() }, pino({ level: "silent" }));
      try {
        const report = await expectProposals(prisma, "postgres", async () => (await pool.query(INDEXES)).rows, { sql: sqlOf(db), transaction: transactionOf(db) });
        expect(report.notMeasured.map((n) => n.check)).toContain("pg_stat_statements");
        expect(db.stats().prismaClient).toBe(false);
      } finally {
        await db.close();
      }
    },
    TIMEOUT,
  );
});
