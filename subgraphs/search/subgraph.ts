import { purgesCollection } from "../../lib/cache-purges.ts";
import { buildSchema, loadTypeDefs, type Subgraph, type SubgraphDeps } from "../../lib/subgraph.ts";
import { AlertMatcher } from "./alerts.ts";
import { CatalogFacts } from "./catalog-facts.ts";
import type { SearchContext } from "./context.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import { SavedSearchService } from "./saved-searches.ts";
import { viaDriver } from "./search-sql.ts";
import { SearchService, type OnListingsChanged } from "./search.service.ts";

export const typeDefs = loadTypeDefs(new URL("./schema.graphql", import.meta.url));

/** The collection the listings subgraph purges whenever listings move in or out of lists and searches (lib/cache-purges.ts). */
const LISTINGS = "Listing";

export function createSearchSubgraph({ db, config, log, graph, pubsub, purges }: SubgraphDeps): Subgraph {
  // Created once: the catalog facts they keep are the same for every request.
  const catalog = new CatalogFacts(graph);
  const onListingsChanged: OnListingsChanged = (listener) =>
    purges.listen((purge) => {
      if (purgesCollection(purge, LISTINGS)) listener();
    });
  const search = new SearchService(viaDriver(db), catalog, { eurRonRate: config.EUR_RON_RATE }, onListingsChanged);
  const savedSearches = new SavedSearchService(db.prisma, catalog, pubsub, config.EUR_RON_RATE);
  const alerts = new AlertMatcher(db.prisma, catalog, pubsub, log, { intervalMs: config.SEARCH_ALERTS_INTERVAL_MS, eurRonRate: config.EUR_RON_RATE });
  return {
    name: "search",
    typeDefs,
    schema: buildSchema(typeDefs, resolvers),
    createContext: (base): SearchContext => ({ ...base, search, savedSearches, loaders: createLoaders(db.prisma, base.viewer) }),
    start: async () => alerts.start(),
    stop: async () => {
      search.close();
      await alerts.stop();
    },
  };
}
