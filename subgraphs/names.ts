/**
 * The subgraphs' names, apart from their modules: a subgraph process checks its argument before it
 * loads any of them (subgraphs/serve.ts). The registry (subgraphs/index.ts) is typed to these.
 */
export const SUBGRAPH_NAMES = ["users", "listings", "chat", "search", "agents"] as const;

export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPH_NAMES as readonly string[]).includes(name);
}
