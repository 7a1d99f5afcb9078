/**
 * phitagora's database session: one transaction that is always rolled back, in which statements are
 * prepared and EXPLAINed as generic plans and candidate indexes are built, the statements EXPLAINed
 * again, and the indexes rolled back. Nothing it does outlives it: the schema is never changed.
 *
 * Generic plans: `EXPLAIN (GENERIC_PLAN)` (PostgreSQL 16+, PGlite) only works over the simple query
 * protocol, and Prisma's PGlite adapter sends every statement with the extended one (binding NULLs
 * instead folds them into the plan: `w = NULL` is planned as "no rows"). So each statement is PREPAREd
 * under plan_cache_mode = force_generic_plan and `EXPLAIN EXECUTE name(NULL, …)` shows its generic plan,
 * the same way on PostgreSQL 12+ and PGlite. Prepared statements outlive a rollback: each is
 * DEALLOCATEd before the transaction ends, and their names are unique to the run.
 *
 * A trial CREATE INDEX reads the whole table and holds a SHARE lock on it (writes wait) until it is
 * rolled back: tables above maxTrialBytes are not tried, lock_timeout keeps the trial from queueing
 * behind writers, statement_timeout bounds the build.
 */
import crypto from "node:crypto";
import type { PrismaClient } from "../../../lib/db/database.ts";
import type { SqlTransaction } from "../runtime/sql.ts";
import { type Candidate, type ExplainOutput, type IndexColumn, type PlanNode, type TableInfo } from "./phitagora-plan.ts";

/** The session's connection: statements that answer nothing, and queries. */
interface SessionSql {
  execute(text: string): Promise<void>;
  query<Row>(text: string): Promise<Row[]>;
}

/**
 * Where sessions come from: the database's own driver when the context has it (`transaction`: an agent
 * worker never loads Prisma's query compiler), else an interactive transaction of the Prisma client.
 */
export interface PlanDatabase {
  prisma: PrismaClient;
  transaction?: SqlTransaction;
}

export interface SessionSettings {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  /** The whole session's bound (Prisma's interactive transaction timeout). */
  sessionTimeoutMs: number;
}

export interface Prepared {
  name: string;
  parameters: number;
}

/** The thrown value that rolls the session's transaction back on success. */
const ROLLBACK = Symbol("phitagora rollback");

export function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

export function indexColumnsSql(columns: IndexColumn[]): string {
  return columns.map((c) => `${quoteIdent(c.column)}${c.descending ? " DESC" : ""}`).join(", ");
}

/** Runs `fn` in a transaction that is rolled back whatever happens, and returns what fn returned. */
export async function withPlanSession<T>(db: PlanDatabase, settings: SessionSettings, fn: (session: PlanSession) => Promise<T>): Promise<T> {
  let result: { value: T } | undefined;
  const body = async (tx: SessionSql) => {
    await tx.execute("SET LOCAL plan_cache_mode = force_generic_plan");
    await tx.execute(`SET LOCAL statement_timeout = ${Math.trunc(settings.statementTimeoutMs)}`);
    await tx.execute(`SET LOCAL lock_timeout = ${Math.trunc(settings.lockTimeoutMs)}`);
    const session = new PlanSession(tx);
    try {
      result = { value: await fn(session) };
    } finally {
      await session.deallocate();
    }
    throw ROLLBACK;
  };
  try {
    if (db.transaction) {
      // The session's bound, as Prisma's interactive transaction has it: no statement starts after it.
      const deadline = Date.now() + settings.sessionTimeoutMs;
      await db.transaction(async (sql) => {
        const bounded = <Row>(text: string) => {
          if (Date.now() > deadline) throw new Error(`the plan session took longer than ${settings.sessionTimeoutMs} ms`);
          return sql<Row>(text);
        };
        return body({ execute: async (text) => void (await bounded(text)), query: bounded });
      });
    } else {
      await db.prisma.$transaction((tx) => body({ execute: async (text) => void (await tx.$executeRawUnsafe(text)), query: <Row,>(text: string) => tx.$queryRawUnsafe<Row[]>(text) }), {
        maxWait: 10_000,
        timeout: settings.sessionTimeoutMs,
      });
    }
  } catch (error) {
    if (error === ROLLBACK && result) return result.value;
    throw error;
  }
  throw new Error("the plan session's transaction ended without its rollback");
}

export class PlanSession {
  private readonly tag = crypto.randomBytes(4).toString("hex");
  private readonly prepared: string[] = [];
  private trials = 0;

  constructor(private readonly tx: SessionSql) {}

  /** PREPAREs a statement (its parameters' types inferred from their use); throws what PostgreSQL says. */
  async prepare(query: string): Promise<Prepared> {
    const name = `phitagora_${this.tag}_${this.prepared.length}`;
    await this.guarded(() => this.tx.execute(`PREPARE ${name} AS ${query}`));
    this.prepared.push(name);
    const [row] = await this.rows<{ parameters: number }>(`SELECT cardinality(parameter_types) AS parameters FROM pg_prepared_statements WHERE name = '${name}'`);
    return { name, parameters: Number(row?.parameters ?? 0) };
  }

  /** The statement's generic plan (VERBOSE: columns named by their scan's alias). */
  async explain(statement: Prepared): Promise<PlanNode> {
    const args = statement.parameters > 0 ? `(${Array.from({ length: statement.parameters }, () => "NULL").join(", ")})` : "";
    const [row] = await this.guarded(() => this.tx.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE ${statement.name}${args}`));
    const raw = row?.["QUERY PLAN"];
    const output = (typeof raw === "string" ? JSON.parse(raw) : raw) as ExplainOutput[];
    return output[0]!.Plan;
  }

  /**
   * Builds the candidate index, EXPLAINs the statements with it, and rolls it back. The plans say
   * whether the planner used it (by its name) and at what cost.
   */
  async tryIndex(candidate: Candidate, statements: Prepared[]): Promise<{ indexName: string; plans: PlanNode[] }> {
    const indexName = `phitagora_trial_${this.tag}_${this.trials++}`;
    await this.tx.execute("SAVEPOINT phitagora_trial");
    try {
      await this.tx.execute(`CREATE INDEX ${indexName} ON ${quoteIdent(candidate.schema)}.${quoteIdent(candidate.table)} (${indexColumnsSql(candidate.columns)})`);
      const plans: PlanNode[] = [];
      for (const statement of statements) plans.push(await this.explain(statement));
      return { indexName, plans };
    } finally {
      await this.tx.execute("ROLLBACK TO SAVEPOINT phitagora_trial");
    }
  }

  /** The tables' row estimates, sizes, column types and existing (valid, non-partial) indexes' columns. */
  async tables(names: { schema: string; table: string }[]): Promise<{ tables: Map<string, TableInfo>; indexes: Map<string, string[][]> }> {
    const wanted = names.map((n) => `(${literal(n.schema)}, ${literal(n.table)})`).join(", ");
    if (!wanted) return { tables: new Map(), indexes: new Map() };
    // reltuples is -1 before a table's first ANALYZE: then its size in ~100-byte rows.
    const rows = await this.rows<TableInfo & { indexes: string[][] }>(`
      SELECT n.nspname AS schema, c.relname AS name,
             CASE WHEN c.reltuples >= 0 THEN c.reltuples ELSE pg_relation_size(c.oid) / 100 END::float8 AS rows,
             pg_total_relation_size(c.oid)::float8 AS bytes,
             (SELECT json_object_agg(a.attname, format_type(a.atttypid, a.atttypmod)) FROM pg_attribute a
               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
             (SELECT coalesce(json_agg(i.cols), '[]'::json) FROM (
                SELECT array_agg(a.attname ORDER BY k.ord) AS cols
                  FROM pg_index x CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                 WHERE x.indrelid = c.oid AND x.indisvalid AND x.indpred IS NULL
                 GROUP BY x.indexrelid) i) AS indexes
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND (n.nspname, c.relname) IN (${wanted})`);
    const tables = new Map<string, TableInfo>();
    const indexes = new Map<string, string[][]>();
    for (const row of rows) {
      const key = `${row.schema}.${row.name}`;
      tables.set(key, { schema: row.schema, name: row.name, rows: row.rows, bytes: row.bytes, columns: row.columns });
      indexes.set(key, row.indexes);
    }
    return { tables, indexes };
  }

  /** DEALLOCATEs every statement this session prepared (they would outlive the rollback). */
  async deallocate(): Promise<void> {
    for (const name of this.prepared.splice(0)) await this.tx.execute(`DEALLOCATE ${name}`);
  }

  /** A query's rows through one JSON column: no catalog type has to survive the driver adapters. */
  private async rows<Row>(sql: string): Promise<Row[]> {
    const [result] = await this.tx.query<{ rows: unknown }>(`SELECT coalesce(json_agg(q), '[]'::json) AS rows FROM (${sql}) q`);
    const rows = result?.rows ?? [];
    return (typeof rows === "string" ? JSON.parse(rows) : rows) as Row[];
  }

  /** Runs one statement under a savepoint, so that its failure leaves the session usable. */
  private async guarded<T>(fn: () => Promise<T>): Promise<T> {
    await this.tx.execute("SAVEPOINT phitagora_step");
    try {
      const result = await fn();
      await this.tx.execute("RELEASE SAVEPOINT phitagora_step");
      return result;
    } catch (error) {
      await this.tx.execute("ROLLBACK TO SAVEPOINT phitagora_step");
      throw error;
    }
  }
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
