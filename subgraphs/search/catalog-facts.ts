/**
 * What search must know of the category catalog, which the listings subgraph owns: a category's id
 * (for its subtree) and attribute definitions (to check attribute filters), and every category's name
 * (completions). Asked of the public graph and kept a few minutes: the catalog changes only with a
 * deployment (listings syncs it at start-up).
 */
import { LRUCache } from "lru-cache";
import type { GraphClient } from "../../lib/graph-client.ts";
import { foldWord } from "./search-query.ts";

export interface AttributeFacts {
  key: string;
  type: "INT" | "DECIMAL" | "STRING" | "BOOLEAN" | "ENUM";
  options: { value: string }[] | null;
}

export interface CategoryFacts {
  id: number;
  attributes: AttributeFacts[];
  /**
   * The category and every category below it, when the catalog's depth is known to end below it
   * (null: a deeper tree than asked for; filter by the stored path instead).
   */
  subtree: number[] | null;
}

export interface CategoryName {
  id: string;
  name: string;
  /** The name's words, folded as the vocabulary's: "Telefoane mobile" → ["telefoane", "mobile"]. */
  words: string[];
}

/**
 * Three levels of children: the catalog has three levels in all, so the third is always empty — were
 * it not (a deeper catalog), the subtree would be incomplete and is not used.
 */
const CATEGORY = /* GraphQL */ `
  query SearchCategoryFacts($id: ID, $slug: String) {
    category(id: $id, slug: $slug) {
      id
      attributes { key type options { value } }
      children { id children { id children { id } } }
    }
  }
`;

interface ChildNode {
  id: string;
  children?: ChildNode[];
}

/** Three levels: the catalog's depth (top level, subcategory, leaf). */
const TREE = /* GraphQL */ `
  query SearchCategoryNames {
    categories { id name children { id name children { id name } } }
  }
`;

interface TreeNode {
  id: string;
  name: string;
  children?: TreeNode[];
}

interface CatalogTree {
  names: CategoryName[];
  paths: Map<string, string[]>;
}

const TTL_MS = 5 * 60_000;

export class CatalogFacts {
  private readonly categories = new LRUCache<string, Promise<CategoryFacts | null>>({ max: 1_000, ttl: TTL_MS });
  private tree?: { at: number; built: Promise<CatalogTree> };

  constructor(private readonly graph: GraphClient) {}

  /** The category with this id or slug, or null when there is none. */
  category(ref: { id: string } | { slug: string }): Promise<CategoryFacts | null> {
    const key = "id" in ref ? `id:${ref.id}` : `slug:${ref.slug}`;
    return this.remembered(this.categories, key, async () => {
      const { category } = await this.graph.query<{ category: (Omit<CategoryFacts, "id" | "subtree"> & ChildNode) | null }>(CATEGORY, ref);
      if (!category) return null;
      return { id: Number(category.id), attributes: category.attributes, subtree: subtreeOf(category) };
    });
  }

  /** Every category, parents before children. */
  async allNames(): Promise<CategoryName[]> {
    return (await this.catalogTree()).names;
  }

  /** Each category's path: its ancestors' ids and its own, root first. */
  async paths(): Promise<ReadonlyMap<string, readonly string[]>> {
    return (await this.catalogTree()).paths;
  }

  /** The category tree, asked once every few minutes; a failed answer is not kept. */
  private catalogTree(): Promise<CatalogTree> {
    if (!this.tree || Date.now() - this.tree.at > TTL_MS) {
      const built = this.graph.query<{ categories: TreeNode[] }>(TREE).then(({ categories }) => ({ names: flatten(categories), paths: pathsOf(categories, []) }));
      built.catch(() => (this.tree = undefined));
      this.tree = { at: Date.now(), built };
    }
    return this.tree.built;
  }

  /** A failed lookup is not remembered: the next request asks again. */
  private remembered<T>(cache: LRUCache<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const cached = cache.get(key);
    if (cached) return cached;
    const loading = load();
    loading.catch(() => cache.delete(key));
    cache.set(key, loading);
    return loading;
  }
}

function pathsOf(nodes: TreeNode[], above: string[], into = new Map<string, string[]>()): Map<string, string[]> {
  for (const node of nodes) {
    const path = [...above, node.id];
    into.set(node.id, path);
    pathsOf(node.children ?? [], path, into);
  }
  return into;
}

function flatten(nodes: TreeNode[]): CategoryName[] {
  return nodes.flatMap((n) => [
    { id: n.id, name: n.name, words: n.name.split(/[\s,-]+/).map(foldWord).filter(Boolean) },
    ...flatten(n.children ?? []),
  ]);
}

/** The node's id and its descendants' (two levels down); null when the third level below is not empty. */
function subtreeOf(node: ChildNode): number[] | null {
  const ids = [Number(node.id)];
  for (const child of node.children ?? []) {
    ids.push(Number(child.id));
    for (const grandchild of child.children ?? []) {
      if (grandchild.children?.length) return null;
      ids.push(Number(grandchild.id));
    }
  }
  return ids;
}
