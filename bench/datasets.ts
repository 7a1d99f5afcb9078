/**
 * Benchmark data sets, prepared once per size and cached:
 *   bench/.data/pglite-<size>/      an embedded PGlite DATA_DIR (pgdata/ + bench-dataset.json)
 *   piata_bench_<size>              a PostgreSQL database on the local server
 * Both seeded with seedDemoData: sellers = size / 10 (at most 10,000), listings = size, a fixed seed.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openDatabase, type PrismaClient } from "../lib/db/database.ts";
import { PGLITE_EXTENSIONS } from "../lib/db/pglite-extensions.mjs";
import type { Logger } from "../lib/logger.ts";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(benchDir, "..");
export const DATA_ROOT = path.join(benchDir, ".data");

export const SEED = 2026;
export const EUR_RON_RATE = 4.97;
const MARKER = "bench-dataset.json";

export interface DatasetSpec {
  size: number;
  sellers: number;
  listings: number;
  seed: number;
}

export function datasetSpec(size: number): DatasetSpec {
  return { size, sellers: Math.min(10_000, Math.max(1, Math.floor(size / 10))), listings: size, seed: SEED };
}

export interface PreparedDataset {
  spec: DatasetSpec;
  /** How a data set made by this call was loaded (absent when reused): see `bulk` of prepareDataset. */
  load?: { pglite?: BulkLoad; postgres?: BulkLoad };
  pglite: { dataDir: string; reused: boolean; seedSeconds: number | null };
  postgres: { database: string; url: string; reused: boolean; seedSeconds: number | null };
}

type Seeder = (prisma: PrismaClient, options: { sellers: number; listings: number; seed: number; eurRonRate: number }) => Promise<void>;

const DEMO_TEXT = path.join(repoRoot, "prisma/seed/demo-text.ts");

/**
 * prisma/seed/demo-text.ts is written by someone else; wait for it (checking every minute) instead of
 * failing when it is not there yet or does not load yet.
 */
async function loadSeeder(maxWaitMinutes = 120): Promise<Seeder> {
  for (let attempt = 0; ; attempt++) {
    if (fs.existsSync(DEMO_TEXT)) {
      try {
        const { seedDemoData } = await import("../prisma/seed/seed.ts");
        return seedDemoData;
      } catch (error) {
        console.warn(`  prisma/seed/seed.ts does not load yet (${(error as Error).message.split("\n")[0]})`);
      }
    } else {
      console.warn("  prisma/seed/demo-text.ts is missing (being written by someone else)");
    }
    if (attempt >= maxWaitMinutes) throw new Error(`gave up waiting for ${DEMO_TEXT} after ${maxWaitMinutes} minutes`);
    console.warn("  retrying in one minute…");
    await new Promise((r) => setTimeout(r, 60_000));
  }
}

let seeder: Promise<Seeder> | undefined;
const getSeeder = () => (seeder ??= loadSeeder());

function seedOptions(spec: DatasetSpec) {
  return { sellers: spec.sellers, listings: spec.listings, seed: spec.seed, eurRonRate: EUR_RON_RATE };
}

function sameSpec(a: unknown, b: DatasetSpec): boolean {
  const m = a as Partial<DatasetSpec> | null;
  return !!m && m.size === b.size && m.sellers === b.sellers && m.listings === b.listings && m.seed === b.seed;
}

/** Timings of a data set loaded with triggers off (`bulk`): the seed, search_rebuild(), ANALYZE. */
export interface BulkLoad {
  bulk: boolean;
  seedSeconds: number;
  rebuildSeconds?: number;
  analyzeSeconds?: number;
}

const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

/**
 * A bulk load (bench-only, `bulk`): the per-row triggers on "Listing" (the search index, the
 * saved-search queue) are off for the seeding session (session_replication_role = replica), then the
 * index is built at once by search_rebuild(), which the search migration tests equal to what the
 * triggers keep. The data set is the same; the saved-search queue ("SearchChange") stays empty.
 */
async function rebuildSearch(query: (sql: string) => Promise<unknown>, load: BulkLoad): Promise<void> {
  const started = performance.now();
  await query("SELECT search_rebuild()");
  await query('DELETE FROM "SearchChange"');
  load.rebuildSeconds = seconds(started);
  console.log(`    search_rebuild(): ${load.rebuildSeconds} s`);
}

async function preparePglite(spec: DatasetSpec, log: Logger, bulk = false, load?: BulkLoad): Promise<PreparedDataset["pglite"]> {
  const dataDir = path.join(DATA_ROOT, `pglite-${spec.size}`);
  const marker = path.join(dataDir, MARKER);
  const pgdata = path.join(dataDir, "pgdata");
  if (fs.existsSync(pgdata) && fs.existsSync(marker)) {
    const recorded = JSON.parse(fs.readFileSync(marker, "utf8")) as DatasetSpec & { seedSeconds?: number };
    if (sameSpec(recorded, spec)) return { dataDir, reused: true, seedSeconds: recorded.seedSeconds ?? null };
  }
  // Missing, or made with other parameters, or interrupted before the marker: start over.
  fs.rmSync(pgdata, { recursive: true, force: true });
  fs.rmSync(marker, { force: true });
  const seed = await getSeeder();
  console.log(`  seeding PGlite ${dataDir} (${spec.sellers} sellers, ${spec.listings} listings)…`);
  const started = performance.now();
  const bulkLoad: BulkLoad = { bulk, seedSeconds: 0 };
  const db = await openDatabase({ DATA_DIR: dataDir, DATABASE_URL: undefined }, log, {
    initialize: async (prisma) => {
      // PGlite has one session: a SET holds for every statement of the seed.
      if (bulk) await prisma.$executeRawUnsafe("SET session_replication_role = replica");
      const seeding = performance.now();
      await seed(prisma, seedOptions(spec));
      bulkLoad.seedSeconds = seconds(seeding);
      if (bulk) {
        await prisma.$executeRawUnsafe("SET session_replication_role = DEFAULT");
        await rebuildSearch((q) => prisma.$executeRawUnsafe(q), bulkLoad);
      }
    },
  });
  await db.close();
  const seedSeconds = seconds(started);
  if (load) Object.assign(load, bulkLoad);
  const recorded = bulk ? { load: bulkLoad } : {};
  fs.writeFileSync(marker, JSON.stringify({ ...spec, seedSeconds, ...recorded, seededAt: new Date().toISOString() }, null, 2));
  console.log(`  seeded PGlite ${spec.size} in ${seedSeconds} s`);
  return { dataDir, reused: false, seedSeconds };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function countRows(url: string): Promise<{ listings: number; users: number } | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ listings: string; users: string }>(
      `SELECT (SELECT count(*) FROM "Listing") AS listings, (SELECT count(*) FROM "User") AS users`,
    );
    return { listings: Number(rows[0]!.listings), users: Number(rows[0]!.users) };
  } catch {
    return undefined; // no tables yet
  } finally {
    await client.end();
  }
}

async function preparePostgres(spec: DatasetSpec, adminUrl: string, log: Logger, bulk = false, load?: BulkLoad): Promise<PreparedDataset["postgres"]> {
  const database = `piata_bench_${spec.size}`;
  const url = databaseUrl(adminUrl, database);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount === 1;
    if (exists) {
      const counts = await countRows(url);
      // sellers + the demo admin
      if (counts && counts.listings === spec.listings && counts.users === spec.sellers + 1) {
        const { rows } = await admin.query<{ comment: string | null }>(
          "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
          [database],
        );
        let seedSeconds: number | null = null;
        try {
          seedSeconds = (JSON.parse(rows[0]?.comment ?? "{}") as { seedSeconds?: number }).seedSeconds ?? null;
        } catch {
          // a comment someone else wrote
        }
        return { database, url, reused: true, seedSeconds };
      }
      console.log(`  ${database} exists with ${counts ? `${counts.listings} listings / ${counts.users} users` : "no tables"}: recreating`);
      await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const seed = await getSeeder();
  console.log(`  seeding PostgreSQL ${database} (${spec.sellers} sellers, ${spec.listings} listings)…`);
  const started = performance.now();
  const bulkLoad: BulkLoad = { bulk, seedSeconds: 0 };
  // Bulk: every connection of the seeding pool starts with the triggers off (the `options` parameter).
  const seedUrl = bulk ? `${url}?options=${encodeURIComponent("-c session_replication_role=replica")}` : url;
  const db = await openDatabase({ DATA_DIR: path.join(DATA_ROOT, "unused"), DATABASE_URL: seedUrl }, log, {
    initialize: async (prisma) => {
      const seeding = performance.now();
      await seed(prisma, seedOptions(spec));
      bulkLoad.seedSeconds = seconds(seeding);
    },
  });
  await db.close();
  // Fresh statistics for the planner, as a long-running database would have.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  if (bulk) await rebuildSearch((q) => client.query(q), bulkLoad);
  const analyzing = performance.now();
  await client.query("VACUUM ANALYZE");
  bulkLoad.analyzeSeconds = seconds(analyzing);
  const seedSeconds = seconds(started);
  if (load) Object.assign(load, bulkLoad);
  const recorded = bulk ? { load: bulkLoad } : {};
  const comment = JSON.stringify({ ...spec, seedSeconds, ...recorded, seededAt: new Date().toISOString() }).replaceAll("'", "''");
  await client.query(`COMMENT ON DATABASE ${database} IS '${comment}'`);
  await client.end();
  console.log(`  seeded PostgreSQL ${spec.size} in ${seedSeconds} s`);
  return { database, url, reused: false, seedSeconds };
}

/**
 * A copy of the PGlite data set on which ANALYZE ran (bench/.data/pglite-<size>-analyzed): PGlite has
 * no autovacuum, so the app's embedded database never gets planner statistics; this variant measures
 * what they would change (`--pglite-analyze`).
 */
async function analyzedCopy(base: PreparedDataset["pglite"], size: number): Promise<PreparedDataset["pglite"]> {
  const dataDir = path.join(DATA_ROOT, `pglite-${size}-analyzed`);
  const marker = path.join(dataDir, MARKER);
  const baseMarker = fs.readFileSync(path.join(base.dataDir, MARKER), "utf8");
  if (fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === baseMarker) return { ...base, dataDir };
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  fs.cpSync(path.join(base.dataDir, "pgdata"), path.join(dataDir, "pgdata"), { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  const started = performance.now();
  const db = await PGlite.create({ dataDir: path.join(dataDir, "pgdata"), extensions: PGLITE_EXTENSIONS });
  await db.exec("ANALYZE");
  await db.exec("CHECKPOINT");
  await db.close();
  console.log(`  ANALYZE on a copy of the PGlite ${size} data set: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  fs.writeFileSync(marker, baseMarker);
  return { ...base, dataDir };
}

export async function prepareDataset(
  size: number,
  adminUrl: string,
  log: Logger,
  backends: { pglite: boolean; postgres: boolean; pgliteAnalyzed?: boolean; bulk?: boolean },
): Promise<PreparedDataset> {
  const spec = datasetSpec(size);
  fs.mkdirSync(DATA_ROOT, { recursive: true });
  const load: { pglite?: BulkLoad; postgres?: BulkLoad } = {};
  const pgliteLoad: BulkLoad = { bulk: false, seedSeconds: 0 };
  const postgresLoad: BulkLoad = { bulk: false, seedSeconds: 0 };
  let pglite = backends.pglite
    ? await preparePglite(spec, log, backends.bulk, pgliteLoad)
    : { dataDir: path.join(DATA_ROOT, `pglite-${size}`), reused: true, seedSeconds: null };
  if (backends.pglite && backends.pgliteAnalyzed) pglite = await analyzedCopy(pglite, size);
  const postgres = backends.postgres
    ? await preparePostgres(spec, adminUrl, log, backends.bulk, postgresLoad)
    : { database: `piata_bench_${size}`, url: databaseUrl(adminUrl, `piata_bench_${size}`), reused: true, seedSeconds: null };
  if (backends.pglite && !pglite.reused) load.pglite = pgliteLoad;
  if (backends.postgres && !postgres.reused) load.postgres = postgresLoad;
  return { spec, pglite, postgres, ...(load.pglite || load.postgres ? { load } : {}) };
}
