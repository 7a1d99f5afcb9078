/**
 * Counts the SQL statements a request sends, whatever subgraph sends them: the counter travels with the
 * request's async context, so in-process subgraphs add to the same number. Tests and benchmarks read it
 * (an N+1 regression shows up as a count that grows with the page size).
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface SqlStats {
  statements: number;
}

const storage = new AsyncLocalStorage<SqlStats>();

export function withSqlStats<T>(fn: (stats: SqlStats) => T): T {
  const stats: SqlStats = { statements: 0 };
  return storage.run(stats, fn, stats);
}

/** The stats of the request this code runs for, when its statements are being counted. */
export function currentSqlStats(): SqlStats | undefined {
  return storage.getStore();
}

export function recordSqlStatement(): void {
  const stats = storage.getStore();
  if (stats) stats.statements += 1;
}
