/**
 * Every subgraph of the API, by name. The gateway composes them (in-process or by URL) and
 * `npm run start:subgraph -- <name>` serves one of them as its own process.
 */
import type { DocumentNode } from "graphql";
import type { PrismaClient } from "../lib/db/database.ts";
import type { Subgraph, SubgraphDeps } from "../lib/subgraph.ts";
import { createAgentsSubgraph, typeDefs as agentsTypeDefs } from "./agents/subgraph.ts";
import { createChatSubgraph, typeDefs as chatTypeDefs } from "./chat/subgraph.ts";
import { createSearchSubgraph, typeDefs as searchTypeDefs } from "./search/subgraph.ts";
import { createListingsSubgraph, demoData as listingsDemoData, typeDefs as listingsTypeDefs } from "./listings/subgraph.ts";
import { createUsersSubgraph, demoData as usersDemoData, typeDefs as usersTypeDefs } from "./users/subgraph.ts";
import type { SubgraphName } from "./names.ts";

export { isSubgraphName, type SubgraphName } from "./names.ts";

/**
 * What demo data is made from, and what the subgraphs that ran before left for the next ones:
 * prisma/seed/seed.ts runs them in the registry's order (users first, their sellers then sell listings).
 */
export interface DemoWorld {
  /** One random stream for the whole set, drawn from in registry order: a seed always gives the same data. */
  rng: () => number;
  /** Empty for the default set (the README's e-mails); else unique to the set, so several sets add up. */
  tag: string;
  sellers: number;
  listings: number;
  eurRonRate: number;
  /** The demo sellers' ids, from users. */
  sellerIds?: string[];
}

export interface SubgraphEntry {
  typeDefs: DocumentNode;
  create(deps: SubgraphDeps): Subgraph;
  /** Adds the subgraph's demo data to a new database; what it returns is added to the world the next ones get. */
  demoData?: (prisma: PrismaClient, world: DemoWorld) => Promise<Partial<DemoWorld> | void>;
}

export const SUBGRAPHS = {
  users: { typeDefs: usersTypeDefs, create: createUsersSubgraph, demoData: usersDemoData },
  listings: { typeDefs: listingsTypeDefs, create: createListingsSubgraph, demoData: listingsDemoData },
  chat: { typeDefs: chatTypeDefs, create: createChatSubgraph },
  search: { typeDefs: searchTypeDefs, create: createSearchSubgraph },
  agents: { typeDefs: agentsTypeDefs, create: createAgentsSubgraph },
} satisfies Record<SubgraphName, SubgraphEntry>;
