/**
 * Adds a demo data set to the configured database (DATABASE_URL, or the embedded one in DATA_DIR —
 * stop the server first, the embedded database belongs to one process):
 *   npm run db:seed -- --listings 100000 --sellers 5000 --seed 7
 * Each seed makes its own sellers, so several runs add up.
 */
import { parseArgs } from "node:util";
import { openDatabase } from "../../lib/db/database.ts";
import { loadConfig } from "../../lib/env.ts";
import { createLogger } from "../../lib/logger.ts";
import { seedDemoData } from "./seed.ts";

const { values } = parseArgs({
  options: {
    listings: { type: "string", default: "100000" },
    sellers: { type: "string" },
    seed: { type: "string", default: String(Date.now() % 100_000) },
  },
});
const listings = Number(values.listings);
const sellers = Number(values.sellers ?? Math.min(10_000, Math.max(1, Math.round(listings / 10))));
const seed = Number(values.seed);
if (![listings, sellers, seed].every((n) => Number.isInteger(n) && n >= 0)) {
  console.error("Usage: npm run db:seed -- [--listings N] [--sellers N] [--seed N]");
  process.exit(2);
}

const config = loadConfig();
const log = createLogger(config, "seed");
// Categories and migrations first (a new database gets them via openDatabase), then the data set.
const db = await openDatabase({ ...config }, log);
try {
  await seedDemoData(db.prisma, { listings, sellers, seed, eurRonRate: config.EUR_RON_RATE, log });
  console.log(`Added ${listings} listings from ${sellers} sellers (seed ${seed}).`);
} finally {
  await db.close();
}
