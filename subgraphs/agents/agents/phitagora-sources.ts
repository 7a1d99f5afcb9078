/**
 * The statements phitagora examines: the slowest the API recorded (lib/observability, ObservedStatement)
 * and, where the server has it, pg_stat_statements' (every client's, normalised with $n placeholders).
 * Only statements an index could speed up and a generic plan can show: SELECT, WITH, UPDATE, DELETE on
 * the application's tables; catalog reads (taita's) and phitagora's own statements are left out.
 */
import { hourOf, readStatements as readRecorded, type RecordedStatement } from "../../../lib/observability/store.ts";
import type { AgentContext } from "../runtime/contract.ts";
import { findStatementsExtension, readStatements as readPgStatStatements, type ReadQuery } from "./taita-checks.ts";

export interface SourceStatement {
  source: "api" | "pg_stat_statements";
  /** The recorder's fingerprint or pg_stat_statements' queryid. */
  id: string;
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
}

const EXPLAINABLE = /^\s*\(?\s*(SELECT|WITH|UPDATE|DELETE)\b/i;
const NOT_OURS = /\bpg_catalog\b|\bpg_stat\w*|\bpg_class\b|\bpg_namespace\b|\bpg_index\b|\binformation_schema\b|\bpg_prepared_statements\b|\bphitagora_|"Observed(Operation|Statement)"/i;

/** Quoted strings, quoted identifiers and comments: where a ";" is only text. */
const QUOTED = /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g;

/**
 * One statement an index could serve. One only: PREPARE takes one, and over the simple protocol a
 * second one after a ";" would run (pg_stat_statements' texts come from any client of the database).
 */
export function explainable(query: string): boolean {
  const bare = query.replace(QUOTED, " ").trim().replace(/;$/, "");
  return EXPLAINABLE.test(query) && !NOT_OURS.test(query) && !bare.includes(";");
}

function sameText(query: string): string {
  return query.replace(/\s+/g, " ").trim();
}

export interface Sources {
  statements: SourceStatement[];
  /** pg_stat_statements' schema, or why it was not read. */
  pgStatStatements: { read: number } | { reason: string };
}

/** The slowest explainable statements by total time, at most `limit`, the API's record first among equals. */
export async function collectStatements(
  db: AgentContext["db"],
  query: ReadQuery,
  options: { since: Date; limit: number },
): Promise<Sources> {
  const recorded = (await recordedStatements(db, options.since, options.limit * 5))
    .filter((s) => explainable(s.query))
    .map((s): SourceStatement => ({ source: "api", id: s.fingerprint, query: s.query, calls: s.count, totalMs: s.totalMs, meanMs: s.meanMs }));

  let fromServer: SourceStatement[] = [];
  let pgStatStatements: Sources["pgStatStatements"];
  if (db.kind === "pglite") {
    pgStatStatements = { reason: "pg_stat_statements is not available in embedded PGlite" };
  } else {
    const schema = await findStatementsExtension(query).catch(() => null);
    if (!schema) {
      pgStatStatements = { reason: "pg_stat_statements is not installed in this database (shared_preload_libraries and CREATE EXTENSION)" };
    } else {
      const rows = await readPgStatStatements(query, schema, { orderBy: "total", limit: options.limit * 5, textLength: 20_000 });
      fromServer = rows
        .filter((r) => explainable(r.query))
        .map((r): SourceStatement => ({ source: "pg_stat_statements", id: r.queryId, query: r.query, calls: r.calls, totalMs: r.totalMs, meanMs: r.meanMs }));
      pgStatStatements = { read: rows.length };
    }
  }

  const seen = new Set<string>();
  const statements = [...recorded, ...fromServer]
    .sort((a, b) => b.totalMs - a.totalMs || (a.source === "api" ? -1 : 1))
    .filter((s) => {
      const key = sameText(s.query);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, options.limit);
  return { statements, pgStatStatements };
}

/**
 * The API's record (lib/observability/store.ts's readStatements: the same statement, the same figures,
 * the most total time first), read by plain SQL when the context has it (a worker never loads Prisma's
 * query compiler), through Prisma otherwise.
 */
async function recordedStatements(db: AgentContext["db"], since: Date, limit: number): Promise<RecordedStatement[]> {
  if (!db.sql) return readRecorded(db.prisma, since, { limit, orderBy: "total" });
  const rows = await db.sql<{ fingerprint: string; query: string; count: number | string; totalMs: number | string; maxMs: number | string }>(
    `SELECT "fingerprint", (array_agg("query" ORDER BY "hour" DESC))[1] AS "query", sum("count")::float8 AS "count",
            sum("totalMs")::float8 AS "totalMs", max("maxMs")::float8 AS "maxMs"
       FROM "ObservedStatement"
      WHERE "hour" >= $1::timestamptz
      GROUP BY "fingerprint"`,
    [hourOf(since).toISOString()],
  );
  // A driver may answer numbers as text (PGlite's thread answers every column so).
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return rows
    .map((r) => {
      const count = Number(r.count);
      const totalMs = Number(r.totalMs);
      return { fingerprint: r.fingerprint, query: r.query, count, meanMs: round(totalMs / Math.max(count, 1)), totalMs: round(totalMs), maxMs: round(Number(r.maxMs)) };
    })
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, limit);
}
