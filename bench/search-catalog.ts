/**
 * The category catalog as the search subgraph asks the gateway for it, answered from the listings
 * subgraph's Catalog in memory (the same data the gateway would answer): for SearchService run in a
 * benchmark's own process (bench/search-service.ts, bench/search-split.ts).
 */
import type { GraphClient } from "../lib/graph-client.ts";
import { Catalog, type CatalogCategory } from "../subgraphs/listings/catalog/catalog.ts";

/** The two queries CatalogFacts sends the graph, answered from the catalog in memory. */
export function catalogGraph(catalog = new Catalog()): GraphClient {
  const tree = (c: CatalogCategory): unknown => ({ id: String(c.id), name: c.name, children: catalog.children(c).map(tree) });
  return {
    async query<T>(document: string, variables: Record<string, unknown> = {}): Promise<T> {
      if (document.includes("SearchCategoryNames")) return { categories: catalog.roots.map(tree) } as T;
      const c = variables.id != null ? catalog.get(String(variables.id)) : catalog.getBySlug(String(variables.slug));
      const ids = (n: CatalogCategory): unknown => ({ id: String(n.id), children: catalog.children(n).map(ids) });
      const category = c && {
        id: String(c.id),
        attributes: catalog.attributesOf(c).map((a) => ({ key: a.key, type: a.type, options: a.options?.map((o) => ({ value: o.value })) ?? null })),
        children: catalog.children(c).map(ids),
      };
      return { category: category ?? null } as T;
    },
  };
}
