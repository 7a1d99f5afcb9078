/**
 * The recorder's rows (prisma/models/observability.prisma): one per hour and operation or statement,
 * merged by every process that flushes into it. A flush is one transaction under an advisory lock, so
 * two processes flushing at once add up instead of overwriting each other; statements add up in SQL,
 * operations' histograms in JavaScript (read, added, written back). Arrays go in as one parameter each
 * (unnest): a flush is a handful of statements however many rows it writes.
 */
import type { PrismaClient } from "../db/database.ts";
import { encodeHistogram, mergeHistograms, type Histogram } from "./latency.ts";

/** pg_advisory_xact_lock's key for flushes: any constant of our own ("piata-obs"). */
const FLUSH_LOCK = 0x7069_6174_612d;
const RETENTION_DAYS = 7;

export interface OperationWindow {
  operation: string;
  count: number;
  totalMs: number;
  maxMs: number;
  sqlCounted: number;
  sqlStatements: number;
  histogram: Histogram;
}

export interface StatementWindow {
  fingerprint: string;
  query: string;
  count: number;
  totalMs: number;
  maxMs: number;
}

export function hourOf(date: Date): Date {
  const hour = new Date(date);
  hour.setUTCMinutes(0, 0, 0);
  return hour;
}

export async function writeWindow(prisma: PrismaClient, at: Date, operations: OperationWindow[], statements: StatementWindow[]): Promise<void> {
  const hour = hourOf(at);
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${FLUSH_LOCK})`);
    if (operations.length > 0) {
      const stored = await tx.observedOperation.findMany({ where: { hour, operation: { in: operations.map((o) => o.operation) } } });
      const byName = new Map(stored.map((row) => [row.operation, row]));
      const merged = operations.map((o) => {
        const row = byName.get(o.operation);
        if (!row) return { ...o, histogram: encodeHistogram(o.histogram) };
        const sum = mergeHistograms([row.histogram]);
        sum.add(o.histogram);
        return {
          operation: o.operation,
          count: row.count + o.count,
          totalMs: row.totalMs + o.totalMs,
          maxMs: Math.max(row.maxMs, o.maxMs),
          sqlCounted: row.sqlCounted + o.sqlCounted,
          sqlStatements: row.sqlStatements + o.sqlStatements,
          histogram: encodeHistogram(sum),
        };
      });
      await tx.$executeRaw`
        INSERT INTO "ObservedOperation" ("hour", "operation", "count", "totalMs", "maxMs", "sqlCounted", "sqlStatements", "histogram", "updatedAt")
        SELECT ${hour}::timestamptz, o.*, now()
          FROM unnest(${merged.map((m) => m.operation)}::text[], ${merged.map((m) => m.count)}::int[], ${merged.map((m) => m.totalMs)}::float8[],
                      ${merged.map((m) => m.maxMs)}::float8[], ${merged.map((m) => m.sqlCounted)}::int[], ${merged.map((m) => m.sqlStatements)}::int[],
                      ${merged.map((m) => m.histogram)}::text[]) AS o
        ON CONFLICT ("hour", "operation") DO UPDATE
          SET "count" = EXCLUDED."count", "totalMs" = EXCLUDED."totalMs", "maxMs" = EXCLUDED."maxMs", "sqlCounted" = EXCLUDED."sqlCounted",
              "sqlStatements" = EXCLUDED."sqlStatements", "histogram" = EXCLUDED."histogram", "updatedAt" = now()`;
    }
    if (statements.length > 0) {
      await tx.$executeRaw`
        INSERT INTO "ObservedStatement" ("hour", "fingerprint", "query", "count", "totalMs", "maxMs", "updatedAt")
        SELECT ${hour}::timestamptz, s.*, now()
          FROM unnest(${statements.map((s) => s.fingerprint)}::text[], ${statements.map((s) => s.query)}::text[], ${statements.map((s) => s.count)}::int[],
                      ${statements.map((s) => s.totalMs)}::float8[], ${statements.map((s) => s.maxMs)}::float8[]) AS s
        ON CONFLICT ("hour", "fingerprint") DO UPDATE
          SET "count" = "ObservedStatement"."count" + EXCLUDED."count", "totalMs" = "ObservedStatement"."totalMs" + EXCLUDED."totalMs",
              "maxMs" = greatest("ObservedStatement"."maxMs", EXCLUDED."maxMs"), "updatedAt" = now()`;
    }
    const expired = new Date(hour.getTime() - RETENTION_DAYS * 86_400_000);
    await tx.observedOperation.deleteMany({ where: { hour: { lt: expired } } });
    await tx.observedStatement.deleteMany({ where: { hour: { lt: expired } } });
  });
}

/** One operation over the hours read: what taita reports. */
export interface RecordedOperation {
  operation: string;
  count: number;
  p95Ms: number;
  meanMs: number;
  maxMs: number;
  /** SQL statements per execution, on average; null when none of its executions was counted. */
  sqlStatements: number | null;
}

/** The operations recorded since `since`, slowest at p95 first. */
export async function readOperations(prisma: PrismaClient, since: Date): Promise<RecordedOperation[]> {
  return summarizeOperations(await prisma.observedOperation.findMany({ where: { hour: { gte: hourOf(since) } } }));
}

/** The hourly rows of ObservedOperation that summarizeOperations reads (however they were read). */
export interface ObservedHour {
  operation: string;
  count: number;
  totalMs: number;
  maxMs: number;
  sqlCounted: number;
  sqlStatements: number;
  histogram: string;
}

/** Hourly rows → one line per operation over those hours, slowest p95 first. */
export function summarizeOperations(rows: readonly ObservedHour[]): RecordedOperation[] {
  const groups = new Map<string, ObservedHour[]>();
  for (const row of rows) groups.set(row.operation, [...(groups.get(row.operation) ?? []), row]);
  const operations = [...groups].map(([operation, hours]) => {
    const histogram = mergeHistograms(hours.map((h) => h.histogram));
    const count = hours.reduce((sum, h) => sum + h.count, 0);
    const sqlCounted = hours.reduce((sum, h) => sum + h.sqlCounted, 0);
    return {
      operation,
      count,
      p95Ms: round(histogram.getValueAtPercentile(95) / 1000),
      meanMs: round(hours.reduce((sum, h) => sum + h.totalMs, 0) / Math.max(count, 1)),
      maxMs: round(Math.max(...hours.map((h) => h.maxMs))),
      sqlStatements: sqlCounted > 0 ? round(hours.reduce((sum, h) => sum + h.sqlStatements, 0) / sqlCounted) : null,
    };
  });
  return operations.sort((a, b) => b.p95Ms - a.p95Ms || b.count - a.count);
}

/** One statement over the hours read: what phitagora EXPLAINs. */
export interface RecordedStatement {
  fingerprint: string;
  query: string;
  count: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
}

/** The statements recorded since `since`, by total time (or mean), most first. */
export async function readStatements(prisma: PrismaClient, since: Date, options: { limit: number; orderBy: "total" | "mean" }): Promise<RecordedStatement[]> {
  const rows = await prisma.$queryRaw<{ fingerprint: string; query: string; count: number; totalMs: number; maxMs: number }[]>`
    SELECT "fingerprint", (array_agg("query" ORDER BY "hour" DESC))[1] AS "query", sum("count")::float8 AS "count",
           sum("totalMs")::float8 AS "totalMs", max("maxMs")::float8 AS "maxMs"
      FROM "ObservedStatement"
     WHERE "hour" >= ${hourOf(since)}::timestamptz
     GROUP BY "fingerprint"`;
  const statements = rows.map((r) => ({ ...r, meanMs: round(r.totalMs / Math.max(r.count, 1)), totalMs: round(r.totalMs), maxMs: round(r.maxMs) }));
  const key = options.orderBy === "mean" ? (s: RecordedStatement) => s.meanMs : (s: RecordedStatement) => s.totalMs;
  return statements.sort((a, b) => key(b) - key(a)).slice(0, options.limit);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
