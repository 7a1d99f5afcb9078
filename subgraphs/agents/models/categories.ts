/**
 * The category tree as the models need it: leaves (the classifier's labels), subtrees and parents
 * (the pricer's scope). Read from the Category table, which the listings subgraph keeps in step with
 * its code-defined catalog; reference data, so it is read once a few minutes per database.
 */
import type { PrismaClient } from "../../../lib/db/database.ts";
import { sqlSource, type Sql } from "../runtime/sql.ts";

export interface CategoryNode {
  id: number;
  name: string;
  parentId: number | null;
  childIds: number[];
}

export class CategoryTree {
  private readonly byId: Map<number, CategoryNode>;

  constructor(rows: readonly { id: number; name: string; parentId: number | null }[]) {
    this.byId = new Map(rows.map((r) => [r.id, { ...r, childIds: [] }]));
    for (const node of this.byId.values()) if (node.parentId !== null) this.byId.get(node.parentId)?.childIds.push(node.id);
  }

  get(id: number): CategoryNode | undefined {
    return this.byId.get(id);
  }

  leaves(): CategoryNode[] {
    return [...this.byId.values()].filter((c) => c.childIds.length === 0);
  }

  /** The category and every category below it. */
  subtree(id: number): number[] {
    const node = this.byId.get(id);
    return node ? [id, ...node.childIds.flatMap((child) => this.subtree(child))] : [];
  }

  /** The category's name, then its ancestors' ("Autoturisme Auto, moto și ambarcațiuni"). */
  names(id: number): string {
    const names: string[] = [];
    for (let node = this.byId.get(id); node; node = node.parentId === null ? undefined : this.byId.get(node.parentId)) names.push(node.name);
    return names.join(" ");
  }
}

const TTL_MS = 5 * 60_000;
const trees = new WeakMap<Sql, { at: number; tree: Promise<CategoryTree> }>();

/** In plain SQL (runtime/sql.ts): the moderator's estimates read it in workers that never load Prisma's query compiler. */
export function categoryTree(source: PrismaClient | Sql): Promise<CategoryTree> {
  const sql = sqlSource(source);
  const cached = trees.get(sql);
  if (cached && Date.now() - cached.at < TTL_MS) return cached.tree;
  const tree = sql<{ id: number; name: string; parentId: number | null }>(`SELECT id, name, "parentId" FROM "Category"`).then((rows) => new CategoryTree(rows));
  trees.set(sql, { at: Date.now(), tree });
  tree.catch(() => trees.delete(sql));
  return tree;
}
