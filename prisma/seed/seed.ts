/**
 * Romanian demo data, each subgraph bringing its own (SubgraphEntry.demoData) in the registry's order:
 * users (the README's admin, sellers across the country), then listings (every category and county,
 * favorites). Loaded on the first start of the embedded database (DEMO_DATA), and in bulk for benchmarks.
 * Content is deterministic for a given seed, so figures measured on it are comparable run to run.
 */
import type { PrismaClient } from "../../lib/db/database.ts";
import type { Logger } from "../../lib/logger.ts";
import { SUBGRAPHS, type DemoWorld, type SubgraphEntry } from "../../subgraphs/index.ts";
import { mulberry32 } from "./demo-text.ts";

export interface DemoOptions {
  sellers?: number;
  listings?: number;
  seed?: number;
  eurRonRate?: number;
  log?: Logger;
}

/** The README's data set: its sellers' e-mails carry no seed. */
const DEFAULT_SEED = 2026;

export async function seedDemoData(prisma: PrismaClient, options: DemoOptions = {}): Promise<void> {
  const { sellers = 200, listings = 2000, seed = DEFAULT_SEED, eurRonRate = 4.97, log } = options;
  const started = Date.now();
  let world: DemoWorld = { rng: mulberry32(seed), tag: seed === DEFAULT_SEED ? "" : `${seed}-`, sellers, listings, eurRonRate };
  const entries: SubgraphEntry[] = Object.values(SUBGRAPHS);
  for (const { demoData } of entries) {
    if (demoData) world = { ...world, ...(await demoData(prisma, world)) };
  }
  log?.info({ sellers, listings, ms: Date.now() - started }, "demo data loaded");
}
