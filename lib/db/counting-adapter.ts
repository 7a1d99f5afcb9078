/**
 * Wraps a Prisma driver adapter factory so that every statement (in or out of a transaction) is
 * counted: in the request's SqlStats when the request is being counted (sql-stats.ts), and always in
 * the database's running total (one integer increment; the gateway's /metrics reads it). Works the
 * same for PGlite and PostgreSQL adapters.
 */
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlQueryable } from "@prisma/driver-adapter-utils";
import { recordSqlStatement } from "./sql-stats.ts";

/** Statements sent since the database was opened, whatever request (or none) sent them. */
export interface StatementCounter {
  statements: number;
  /** When set, told each statement's text and time (lib/observability's recorder); unset, nothing is timed. */
  observer?: StatementObserver;
}

/** A statement's SQL text (placeholders, never values) and its time to answer, in milliseconds. */
export type StatementObserver = (sql: string, ms: number) => void;

function timed(run: () => Promise<unknown>, sql: string, observer: StatementObserver): Promise<unknown> {
  const start = performance.now();
  const done = () => observer(sql, performance.now() - start);
  const result = run();
  result.then(done, done);
  return result;
}

function countQueries<T extends SqlQueryable>(target: T, counter: StatementCounter): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "queryRaw" || prop === "executeRaw") {
        return (...args: unknown[]) => {
          counter.statements++;
          recordSqlStatement();
          const run = () => (value as (...a: unknown[]) => Promise<unknown>).apply(obj, args);
          return counter.observer ? timed(run, (args[0] as SqlQuery).sql, counter.observer) : run();
        };
      }
      if (prop === "startTransaction") {
        return async (...args: unknown[]) => {
          const tx = await (value as (...a: unknown[]) => Promise<SqlQueryable>).apply(obj, args);
          return countQueries(tx, counter);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(obj);
    },
  });
}

export function countingAdapterFactory(factory: SqlDriverAdapterFactory, counter: StatementCounter): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(obj, prop, receiver) {
      if (prop === "connect") {
        return async () => countQueries<SqlDriverAdapter>(await obj.connect(), counter);
      }
      const value = Reflect.get(obj, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}
