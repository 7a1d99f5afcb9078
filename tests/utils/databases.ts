/**
 * Test databases. TEST_DATABASE=postgres gives each stack its own fresh PostgreSQL database (dropped
 * afterwards) on TEST_POSTGRES_URL (default: the local server). When no server answers, the suite is
 * skipped with a printed reason — except in CI, where that is a failure.
 */
import crypto from "node:crypto";
import pg from "pg";

export const backend = process.env.TEST_DATABASE === "postgres" ? "postgres" : "pglite";
export const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Why no PostgreSQL server answers at adminUrl, or undefined when one does. */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Why this suite cannot run here, or undefined when it can. Throws in CI instead of skipping. */
export const unavailable: string | undefined = backend === "postgres" ? await postgresUnavailable() : undefined;
if (unavailable) {
  const reason = `PostgreSQL at ${adminUrl} is not reachable (${unavailable})`;
  if (process.env.CI) throw new Error(`${reason}; CI must run the PostgreSQL suite.`);
  console.warn(`SKIPPING the PostgreSQL stack suite: ${reason}`);
}

export interface TestDatabase {
  url?: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (backend === "pglite") return { drop: async () => {} };
  return createPostgresDatabase();
}

/** A fresh database on the PostgreSQL server (`prefix` and random hex), dropped by drop(). */
export async function createPostgresDatabase(prefix = "piata_test"): Promise<TestDatabase & { name: string; url: string }> {
  const name = `${prefix}_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
