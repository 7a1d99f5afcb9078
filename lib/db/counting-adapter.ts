/**
 * Wraps a Prisma driver adapter factory so that every statement (in or out of a transaction) is
 * counted in the request's SqlStats. Works the same for PGlite and PostgreSQL adapters.
 */
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable } from "@prisma/driver-adapter-utils";
import { recordSqlStatement } from "./sql-stats.ts";

function countQueries<T extends SqlQueryable>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "queryRaw" || prop === "executeRaw") {
        return (...args: unknown[]) => {
          recordSqlStatement();
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      }
      if (prop === "startTransaction") {
        return async (...args: unknown[]) => {
          const tx = await (value as (...a: unknown[]) => Promise<SqlQueryable>).apply(obj, args);
          return countQueries(tx);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(obj);
    },
  });
}

export function countingAdapterFactory(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(obj, prop, receiver) {
      if (prop === "connect") {
        return async () => countQueries<SqlDriverAdapter>(await obj.connect());
      }
      const value = Reflect.get(obj, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}
