/**
 * Every subgraph of the API, by name. The gateway composes them (in-process or by URL) and
 * `npm run start:subgraph -- <name>` serves one of them as its own process.
 */
import type { DocumentNode } from "graphql";
import type { Subgraph, SubgraphDeps } from "../lib/subgraph.ts";
import { createListingsSubgraph, typeDefs as listingsTypeDefs } from "./listings/subgraph.ts";
import { createUsersSubgraph, typeDefs as usersTypeDefs } from "./users/subgraph.ts";

export interface SubgraphEntry {
  typeDefs: DocumentNode;
  create(deps: SubgraphDeps): Subgraph;
}

export const SUBGRAPHS = {
  users: { typeDefs: usersTypeDefs, create: createUsersSubgraph },
  listings: { typeDefs: listingsTypeDefs, create: createListingsSubgraph },
} satisfies Record<string, SubgraphEntry>;

export type SubgraphName = keyof typeof SUBGRAPHS;

export function isSubgraphName(name: string): name is SubgraphName {
  return Object.hasOwn(SUBGRAPHS, name);
}
