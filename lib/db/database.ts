/**
 * The one place that builds the Prisma client: embedded PGlite under DATA_DIR by default, a PostgreSQL
 * server when DATABASE_URL is set. Both get the same SQL migrations before the client is handed out.
 */
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaClient } from "../../prisma/generated/client.ts";
import type { Config } from "../env.ts";
import type { Logger } from "../logger.ts";
import { countingAdapterFactory, type StatementCounter, type StatementObserver } from "./counting-adapter.ts";
import { createAtomically, lockDataDir } from "./data-dir.ts";
import { applyMigrations, pgExecutor, pgliteExecutor } from "./migrations.ts";

export type { PrismaClient };

export interface Database {
  /**
   * Created on first use: a process that sends all of its statements through executeSql (an agent
   * worker) never builds one (≈ 6 MB of V8 heap for the client and its data model, measured in a
   * worker; its query compiler, +24 MB of RSS, comes with its first query).
   */
  readonly prisma: PrismaClient;
  kind: "pglite" | "postgres";
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Figures for /metrics, read when scraped. */
  stats(): DatabaseStats;
  /**
   * Plain SQL outside Prisma, for libraries that bring their own (pg-boss: lib/jobs.ts): parameters
   * bound, values parsed as node-postgres parses them. A script of several statements takes no
   * parameters and answers with its last statement's rows.
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /**
   * Plain SQL in one transaction on one connection (phitagora's plan sessions in an agent worker):
   * `fn` gets that connection's executeSql; committed when fn resolves, rolled back when it throws.
   */
  transactionSql<T>(fn: (executeSql: Database["executeSql"]) => Promise<T>): Promise<T>;
  /** Tells `observer` each statement sent through Prisma, with its time (undefined: stop). */
  observeStatements(observer: StatementObserver | undefined): void;
}

export interface DatabaseStats {
  /** SQL statements sent through Prisma since the database was opened. */
  statements: number;
  /** Whether the Prisma client was built (first use of `prisma`): an agent worker's never is. */
  prismaClient: boolean;
  /** The PostgreSQL connection pool (absent for PGlite, which has one connection on its own thread). */
  pool?: { total: number; idle: number; waiting: number };
}

export interface OpenOptions {
  /** Runs once on a newly created database, before it becomes visible (embedded: inside the atomic init). */
  initialize?: (prisma: PrismaClient) => Promise<void>;
}

/**
 * Transactions wait for a connection up to the request deadline's order (10 s), not Prisma's 2 s:
 * PGlite has one connection, and a burst of writes (chat messages, measured in the subscriptions
 * benchmark) queued past 2 s answered "Unable to start a transaction in the given time" as an
 * internal error.
 */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

function clientFor(factory: SqlDriverAdapterFactory, counter: StatementCounter): PrismaClient {
  return new PrismaClient({ adapter: countingAdapterFactory(factory, counter), transactionOptions: TRANSACTION_OPTIONS });
}

/** A Prisma client built on first use: `get()` builds it, `built()` answers it only if it exists. */
function lazyClient(build: () => PrismaClient): { get(): PrismaClient; built(): PrismaClient | undefined } {
  let client: PrismaClient | undefined;
  return { get: () => (client ??= build()), built: () => client };
}

export async function openDatabase(
  config: Pick<Config, "DATABASE_URL" | "DATA_DIR">,
  log: Logger,
  options: OpenOptions = {},
): Promise<Database> {
  if (config.DATABASE_URL) return openPostgres(config.DATABASE_URL, log, options);
  const release = lockDataDir(config.DATA_DIR);
  try {
    const dir = path.join(config.DATA_DIR, "pgdata");
    await createAtomically(dir, async (temp) => {
      log.info({ dir }, "creating the embedded database");
      const db = await openPglite(temp, log, options, () => {});
      await db.close();
    });
    return await openPglite(dir, log, { ...options, initialize: undefined }, release);
  } catch (error) {
    release();
    throw error;
  }
}

async function openPglite(
  dir: string,
  log: Logger,
  options: OpenOptions,
  release: () => void,
): Promise<Database> {
  // Loaded here, not at the top: PGlite (its WASM PostgreSQL) is ~50 MB of RSS that a process on a
  // PostgreSQL server (an agent worker, a distributed subgraph) never uses.
  const [{ PGliteThread }, { PrismaPGlite }] = await Promise.all([import("./pglite-thread.ts"), import("pglite-prisma-adapter")]);
  const thread = await PGliteThread.start(dir);
  const pglite = thread.asPGlite();
  await applyMigrations(pgliteExecutor(pglite));
  const counter: StatementCounter = { statements: 0 };
  const client = lazyClient(() => clientFor(new PrismaPGlite(pglite), counter));
  if (options.initialize) await options.initialize(client.get());
  // PGlite has no autovacuum daemon, so nothing else refreshes planner statistics: without them the
  // planner misjudges the listing indexes (measured: browse at 100,000 listings twice as slow).
  // Once per open, after any initial data; about 0.7 s at 100,000 listings.
  await pglite.query("ANALYZE");
  let closed = false;
  return {
    get prisma() {
      return client.get();
    },
    kind: "pglite",
    stats: () => ({ statements: counter.statements, prismaClient: client.built() !== undefined }),
    observeStatements: (observer) => void (counter.observer = observer),
    ping: async () => {
      await pglite.query("SELECT 1");
    },
    async executeSql(text, values = []) {
      // PGlite prepares a parameterised statement, which holds one command only: a script goes to exec.
      if (values.length === 0) return { rows: (await pglite.exec(text)).at(-1)?.rows ?? [] };
      return { rows: (await pglite.query(text, values)).rows };
    },
    transactionSql: (fn) =>
      pglite.transaction((tx) =>
        fn(async (text, values = []) => (values.length === 0 ? { rows: (await tx.exec(text)).at(-1)?.rows ?? [] } : { rows: (await tx.query(text, values)).rows })),
      ),
    async close() {
      if (closed) return;
      closed = true;
      await client.built()?.$disconnect();
      // The thread checkpoints (the next start replays no WAL), closes the files and exits.
      await thread.close().catch((error: unknown) => log.warn({ err: error }, "closing the embedded database failed"));
      release();
    },
  };
}

async function openPostgres(url: string, log: Logger, options: OpenOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on("error", (error) => log.error({ err: error }, "idle PostgreSQL client failed"));
  await applyMigrations(pgExecutor(pool));
  const counter: StatementCounter = { statements: 0 };
  const client = lazyClient(() => clientFor(new PrismaPg(pool), counter));
  if (options.initialize && (await client.get().user.count()) === 0) await options.initialize(client.get());
  return {
    get prisma() {
      return client.get();
    },
    kind: "postgres",
    observeStatements: (observer) => void (counter.observer = observer),
    stats: () => ({
      statements: counter.statements,
      prismaClient: client.built() !== undefined,
      pool: { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount },
    }),
    ping: async () => {
      await pool.query("SELECT 1");
    },
    executeSql: async (text, values) => lastRows(await pool.query(text, values)),
    async transactionSql(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await fn(async (text, values) => lastRows(await client.query(text, values)));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        // A connection whose rollback failed is not handed out again.
        await client.query("ROLLBACK").catch((failure: unknown) => void (broken = failure instanceof Error ? failure : new Error(String(failure))));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      if (pool.ended) return;
      await client.built()?.$disconnect();
      await pool.end();
    },
  };
}

/** A script without values (several statements) answers node-postgres's array of results: its last rows. */
function lastRows(result: pg.QueryResult | pg.QueryResult[]): { rows: unknown[] } {
  return { rows: Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows };
}
