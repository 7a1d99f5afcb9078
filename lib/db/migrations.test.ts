import { appendFile, cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLITE_EXTENSIONS } from "./pglite-extensions.mjs";
import { describe, expect, it } from "vitest";
import {
  applyMigrations,
  DEFAULT_MIGRATIONS_DIR,
  MigrationChecksumError,
  pgliteExecutor,
  readMigrationFiles,
} from "./migrations.ts";

// Starting a PGlite takes a couple of seconds on slow machines.
const TIMEOUT = 60_000;

async function withTempMigrations<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "migrations-test-"));
  try {
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function tableNames(db: PGlite): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((r) => r.table_name);
}

describe("applyMigrations", () => {
  it(
    "creates the schema, and applying again is a no-op",
    async () => {
      const files = await readMigrationFiles();
      expect(files.length).toBeGreaterThan(0);
      const db = new PGlite({ extensions: PGLITE_EXTENSIONS });
      try {
        const exec = pgliteExecutor(db);
        const first = await applyMigrations(exec);
        expect(first.applied).toEqual(files.map((f) => f.name));
        expect(first.alreadyApplied).toEqual([]);

        const tables = await tableNames(db);
        for (const t of ["User", "Session", "Category", "Listing", "Favorite", "ListingReport", "_migrations"]) {
          expect(tables).toContain(t);
        }
        const recorded = await db.query<{ name: string; checksum: string }>(
          "SELECT name, checksum FROM _migrations ORDER BY name",
        );
        expect(recorded.rows).toEqual(files.map((f) => ({ name: f.name, checksum: f.checksum })));

        const second = await applyMigrations(exec);
        expect(second).toEqual({ applied: [], alreadyApplied: files.map((f) => f.name), unknown: [] });
        expect(await tableNames(db)).toEqual(tables);
      } finally {
        await db.close();
      }
    },
    TIMEOUT,
  );

  it(
    "refuses to run when an applied migration changed, and applies only new ones",
    async () => {
      await withTempMigrations(async (dir) => {
        const db = new PGlite({ extensions: PGLITE_EXTENSIONS });
        try {
          const exec = pgliteExecutor(db);
          const [first] = await readMigrationFiles(dir);
          await applyMigrations(exec, dir);

          // A new migration is applied on its own.
          await mkdir(path.join(dir, "99990101000000_extra"));
          await writeFile(path.join(dir, "99990101000000_extra", "migration.sql"), 'CREATE TABLE "Extra" (id int);');
          expect((await applyMigrations(exec, dir)).applied).toEqual(["99990101000000_extra"]);

          // Editing an applied one is refused, before anything else is applied.
          await appendFile(path.join(dir, first!.name, "migration.sql"), "\n-- edited\n");
          await mkdir(path.join(dir, "99990102000000_more"));
          await writeFile(path.join(dir, "99990102000000_more", "migration.sql"), 'CREATE TABLE "More" (id int);');
          const err = await applyMigrations(exec, dir).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(MigrationChecksumError);
          expect((err as Error).message).toContain(first!.name);
          expect(await tableNames(db)).not.toContain("More");
        } finally {
          await db.close();
        }
      });
    },
    TIMEOUT,
  );

  it(
    "rolls back a failing migration together with its bookkeeping row",
    async () => {
      await withTempMigrations(async (dir) => {
        const db = new PGlite({ extensions: PGLITE_EXTENSIONS });
        try {
          const exec = pgliteExecutor(db);
          await mkdir(path.join(dir, "99990101000000_broken"));
          await writeFile(
            path.join(dir, "99990101000000_broken", "migration.sql"),
            'CREATE TABLE "Half" (id int);\nSELECT * FROM "DoesNotExist";',
          );
          await expect(applyMigrations(exec, dir)).rejects.toThrow(/99990101000000_broken/);
          const tables = await tableNames(db);
          expect(tables).toContain("User"); // earlier migrations stay applied
          expect(tables).not.toContain("Half");
          const { rows } = await db.query("SELECT 1 FROM _migrations WHERE name = '99990101000000_broken'");
          expect(rows).toEqual([]);
        } finally {
          await db.close();
        }
      });
    },
    TIMEOUT,
  );
});
