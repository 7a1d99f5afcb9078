import { buildSchema, loadTypeDefs, type Subgraph, type SubgraphDeps } from "../../lib/subgraph.ts";
import { CatalogFacts } from "./catalog-facts.ts";
import type { SearchContext } from "./context.ts";
import { resolvers } from "./resolvers/index.ts";
import { SearchService } from "./search.service.ts";

export const typeDefs = loadTypeDefs(new URL("./schema.graphql", import.meta.url));

export function createSearchSubgraph({ db, config, graph }: SubgraphDeps): Subgraph {
  // Created once: the catalog facts it keeps are the same for every request.
  const search = new SearchService(db.prisma, new CatalogFacts(graph), { eurRonRate: config.EUR_RON_RATE });
  return {
    name: "search",
    typeDefs,
    schema: buildSchema(typeDefs, resolvers),
    createContext: (base): SearchContext => ({ ...base, search }),
  };
}
