/**
 * Plain SQL for the agents runtime and the agents that run hot (the moderator): parameters bound as
 * $1, $2…, rows as node-postgres (or PGlite) parses them. Through the database's own driver
 * (Database.executeSql: the pg pool, or PGlite), not Prisma: Prisma 7 instantiates its query compiler
 * (WASM, +54–69 MB of a worker's RSS, measured in bench/results/agents-2026-12-02c-summary.md) on the
 * first query it runs, raw SQL included, and a worker that sends all of its statements here never
 * loads it. A context built without one (tests, in-process helpers) falls back to Prisma's raw SQL.
 *
 * Rows read the same through either: write the statements so the types agree (an int8 or a count cast
 * to ::int or read with Number(), uuids, text, jsonb and timestamptz as they come).
 */
import type { Database, PrismaClient } from "../../../lib/db/database.ts";

export type Sql = <Row = Record<string, unknown>>(text: string, values?: readonly unknown[]) => Promise<Row[]>;

/**
 * Statements on one connection inside one transaction (Database.transactionSql): committed when `fn`
 * resolves, rolled back when it throws.
 */
export type SqlTransaction = <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>;

/** The database's own transactions, rows as `sqlOf` answers them. */
export function transactionOf(db: Pick<Database, "transactionSql">): SqlTransaction {
  return (fn) => db.transactionSql((executeSql) => fn(async <Row,>(text: string, values: readonly unknown[] = []) => (await executeSql(text, [...values])).rows as Row[]));
}

const byDatabase = new WeakMap<Pick<Database, "executeSql">, Sql>();
const byPrisma = new WeakMap<PrismaClient, Sql>();

/** The database's own driver; one function per database (callers key their caches on it). */
export function sqlOf(db: Pick<Database, "executeSql">): Sql {
  let sql = byDatabase.get(db);
  if (!sql) {
    sql = async <Row,>(text: string, values: readonly unknown[] = []) => (await db.executeSql(text, [...values])).rows as Row[];
    byDatabase.set(db, sql);
  }
  return sql;
}

/** Prisma's raw SQL, for a caller that has only the client (the API's in-process services, tests). */
export function prismaSql(prisma: PrismaClient): Sql {
  let sql = byPrisma.get(prisma);
  if (!sql) {
    sql = <Row,>(text: string, values: readonly unknown[] = []) => prisma.$queryRawUnsafe<Row[]>(text, ...values);
    byPrisma.set(prisma, sql);
  }
  return sql;
}

/** SQL from either: a function is one already; a Prisma client's raw SQL otherwise. */
export function sqlSource(source: PrismaClient | Sql): Sql {
  return typeof source === "function" ? (source as Sql) : prismaSql(source);
}

/** The context's SQL: its own when it has one, else Prisma's. */
export function sqlFor(db: { prisma: PrismaClient; sql?: Sql }): Sql {
  return db.sql ?? prismaSql(db.prisma);
}
