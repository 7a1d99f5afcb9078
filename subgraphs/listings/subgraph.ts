import { openJobQueue, type JobQueue } from "../../lib/jobs.ts";
import { createMediaUploads } from "../../lib/media/uploads.ts";
import { createMediaUrls } from "../../lib/media/urls.ts";
import { buildSchema, loadTypeDefs, type Subgraph, type SubgraphDeps } from "../../lib/subgraph.ts";
import { Catalog } from "./catalog/catalog.ts";
import { syncCategories } from "./catalog/sync.ts";
import type { ListingsContext } from "./context.ts";
import type { addDemoData } from "./demo-data.ts";
import { ListingEvents } from "./events.ts";
import { ListingImportsService } from "./imports.ts";
import { ListingsService } from "./listings.service.ts";
import { createLoaders } from "./loaders.ts";
import { ListingModerationService } from "./moderation.ts";
import { resolvers } from "./resolvers/index.ts";

export const typeDefs = loadTypeDefs(new URL("./schema.graphql", import.meta.url));

/** Demo data, imported only when a new database asks for it: the generator is no part of a normal start. */
export const demoData: typeof addDemoData = async (prisma, world) => (await import("./demo-data.ts")).addDemoData(prisma, world);

const EXPIRY_SWEEP_MS = 60_000;

export function createListingsSubgraph({ db, config, log, pubsub, purges }: SubgraphDeps): Subgraph {
  const catalog = new Catalog();
  const events = new ListingEvents(pubsub, log, purges);
  const moderation = new ListingModerationService(db.prisma, events, log, { mode: config.LISTING_MODERATION, listingTtlDays: config.LISTING_TTL_DAYS });
  const listings = new ListingsService(
    db.prisma,
    catalog,
    { listingTtlDays: config.LISTING_TTL_DAYS, eurRonRate: config.EUR_RON_RATE },
    moderation,
    createMediaUploads({ pubsub }),
    events,
  );
  const media = createMediaUrls(config);
  const imports = new ListingImportsService(db.prisma, log, (seller, input, key) => listings.create(seller, input, key));
  let jobs: JobQueue | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = () =>
    Promise.all([
      listings
        .expireDue()
        .then((count) => count && log.info({ count }, "listings expired"))
        .catch((error: unknown) => log.error({ err: error }, "expiry sweep failed")),
      listings
        .purgeStale()
        .then((purged) => (purged.keys || purged.views) && log.debug(purged, "stale idempotency keys and views purged"))
        .catch((error: unknown) => log.error({ err: error }, "purge of idempotency keys and views failed")),
    ]);

  return {
    name: "listings",
    typeDefs,
    schema: buildSchema(typeDefs, resolvers),
    createContext: (base): ListingsContext => ({
      ...base,
      catalog,
      listings,
      moderation,
      imports,
      events,
      media,
      loaders: createLoaders(db.prisma, base.viewer, listings),
    }),
    async start() {
      await syncCategories(db.prisma, catalog);
      await sweep();
      sweeper = setInterval(sweep, EXPIRY_SWEEP_MS);
      sweeper.unref();
      if (moderation.enabled || config.LISTING_IMPORTS) {
        // Requests to agents and their replies travel on the durable job queue (lib/agent-requests.ts).
        jobs = await openJobQueue(db, log, { pollingIntervalSeconds: config.AGENT_POLLING_INTERVAL_SECONDS });
        if (moderation.enabled) await moderation.start(jobs, config.AGENT_POLLING_INTERVAL_SECONDS);
        if (config.LISTING_IMPORTS) await imports.start(jobs, config.AGENT_POLLING_INTERVAL_SECONDS);
      }
    },
    async stop() {
      clearInterval(sweeper);
      await jobs?.stop({ graceful: true, timeout: 10_000, wait: true });
    },
  };
}
