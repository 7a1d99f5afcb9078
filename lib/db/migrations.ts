// Runtime migration runner, used at server start. Applies the SQL migrations committed under
// prisma/migrations/<name>/migration.sql (created with `npm run db:migration -- <name>`) in name order.
// It needs no Prisma engine and no devDependency: only the database driver the server already uses.
//
// Bookkeeping lives in "_migrations" (name, sha256 checksum of the file, applied_at). Each migration runs
// in its own transaction together with its bookkeeping row, so a failing migration leaves nothing behind.
// Consequence: migrations must not contain statements that cannot run inside a transaction
// (e.g. CREATE INDEX CONCURRENTLY); Prisma never generates such statements.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type pg from "pg";

/** What the runner needs from a database. */
export interface MigrationExecutor {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of one or more statements, without parameters. */
  exec(sql: string): Promise<void>;
  /** Runs fn in a transaction (nested calls reuse the outer transaction). */
  transaction<T>(fn: (tx: MigrationExecutor) => Promise<T>): Promise<T>;
}

/** prisma/migrations of this repository. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));
export const MIGRATIONS_TABLE = "_migrations";
export const MIGRATION_FILE = "migration.sql";
/** Key of the PostgreSQL advisory lock that serialises migration transactions across processes. */
export const MIGRATION_LOCK_KEY = 72_176_523_004_391n;

export interface MigrationFile {
  /** Directory name, e.g. 20250101120000_init. */
  name: string;
  sql: string;
  /** sha256 of migration.sql (hex). */
  checksum: string;
}

export interface ApplyMigrationsResult {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** Migrations that were already applied before this call. */
  alreadyApplied: string[];
  /**
   * Migrations recorded in the database but absent from the directory (the database is ahead of this
   * code, e.g. during a rollback of a deploy). Not an error; reported so that the caller can log it.
   */
  unknown: string[];
}

export class MigrationChecksumError extends Error {
  constructor(readonly changed: { name: string; applied: string; current: string }[]) {
    super(
      `Refusing to migrate: ${changed.length === 1 ? "an applied migration was" : "applied migrations were"} ` +
        `modified after being applied: ${changed.map((c) => c.name).join(", ")}.\n` +
        changed.map((c) => `  ${c.name}: applied sha256 ${c.applied}, file now ${c.current}`).join("\n") +
        "\nA migration must not change once applied: restore the file and put the change in a new migration.",
    );
    this.name = "MigrationChecksumError";
  }
}

export function migrationChecksum(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Migration directories that contain migration.sql, in name order. */
export async function readMigrationFiles(migrationsDir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`Migrations directory not found: ${migrationsDir}`);
    }
    throw err;
  }
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files: MigrationFile[] = [];
  for (const name of names) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(migrationsDir, name, MIGRATION_FILE));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw err;
    }
    files.push({ name, sql: bytes.toString("utf8"), checksum: migrationChecksum(bytes) });
  }
  return files;
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Applies every migration of migrationsDir that the database has not recorded yet, in name order, each in
 * its own transaction with its "_migrations" row. Throws MigrationChecksumError, before applying
 * anything, if a migration that was already applied has changed on disk.
 *
 * Safe to run from several processes at once if the executor serialises transactions (pgExecutor takes
 * an advisory lock in each one): every migration is re-checked inside its transaction.
 */
export async function applyMigrations(
  exec: MigrationExecutor,
  migrationsDir: string = DEFAULT_MIGRATIONS_DIR,
): Promise<ApplyMigrationsResult> {
  const files = await readMigrationFiles(migrationsDir);
  await exec.transaction((tx) => tx.exec(CREATE_TABLE));

  const rows = await exec.query<{ name: string; checksum: string }>(
    `SELECT name, checksum FROM "${MIGRATIONS_TABLE}" ORDER BY name`,
  );
  const recorded = new Map(rows.map((r) => [r.name, r.checksum]));
  const changed = files
    .filter((f) => recorded.has(f.name) && recorded.get(f.name) !== f.checksum)
    .map((f) => ({ name: f.name, applied: recorded.get(f.name)!, current: f.checksum }));
  if (changed.length > 0) throw new MigrationChecksumError(changed);

  const onDisk = new Set(files.map((f) => f.name));
  const result: ApplyMigrationsResult = {
    applied: [],
    alreadyApplied: files.filter((f) => recorded.has(f.name)).map((f) => f.name),
    unknown: rows.filter((r) => !onDisk.has(r.name)).map((r) => r.name),
  };

  for (const file of files.filter((f) => !recorded.has(f.name))) {
    const applied = await exec.transaction(async (tx) => {
      // Another process may have applied it since the SELECT above (it held the lock until its commit).
      const done = await tx.query<{ checksum: string }>(
        `SELECT checksum FROM "${MIGRATIONS_TABLE}" WHERE name = $1`,
        [file.name],
      );
      if (done[0]) {
        if (done[0].checksum !== file.checksum) {
          throw new MigrationChecksumError([{ name: file.name, applied: done[0].checksum, current: file.checksum }]);
        }
        return false;
      }
      try {
        await tx.exec(file.sql);
      } catch (err) {
        throw new Error(`Migration ${file.name} failed: ${(err as Error).message}`, { cause: err });
      }
      await tx.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [
        file.name,
        file.checksum,
      ]);
      return true;
    });
    (applied ? result.applied : result.alreadyApplied).push(file.name);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Executors

type PGliteLike = Pick<PGlite, "query" | "exec" | "transaction">;

/** Executor over PGlite (single connection: transactions are naturally serialised). */
export function pgliteExecutor(pglite: PGlite): MigrationExecutor {
  return pgliteQueryable(pglite);
}

function pgliteQueryable(db: PGliteLike | Transaction, inTransaction?: Transaction): MigrationExecutor {
  const executor: MigrationExecutor = {
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    transaction<T>(fn: (tx: MigrationExecutor) => Promise<T>): Promise<T> {
      if (inTransaction) return fn(executor);
      return (db as PGliteLike).transaction((tx) => fn(pgliteQueryable(tx, tx)));
    },
  };
  return executor;
}

/**
 * Executor over a node-postgres pool. Each transaction runs on a client checked out for it and first takes
 * pg_advisory_xact_lock(MIGRATION_LOCK_KEY), so two processes starting at once against the same database
 * apply each migration once: the second waits for the first's commit, then sees the row.
 */
export function pgExecutor(pool: pg.Pool): MigrationExecutor {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await pool.query(sql); // no parameters: simple protocol, several statements allowed
    },
    async transaction<T>(fn: (tx: MigrationExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let releaseError: Error | undefined;
      try {
        await client.query("BEGIN");
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
        const result = await fn(pgClientExecutor(client));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch((rollbackError: Error) => {
          releaseError = rollbackError; // do not return a broken connection to the pool
        });
        throw err;
      } finally {
        client.release(releaseError);
      }
    },
  };
}

function pgClientExecutor(client: pg.PoolClient): MigrationExecutor {
  const executor: MigrationExecutor = {
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    transaction: (fn) => fn(executor),
  };
  return executor;
}
