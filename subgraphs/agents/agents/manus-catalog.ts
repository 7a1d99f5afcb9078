/**
 * Our categories as manus matches partners' names against them: read from the Category table (the
 * listings subgraph mirrors its catalog there), matched by name or slug without regard to case,
 * diacritics or "și"/"&", the most specific name of a path first. A listing goes in a leaf category.
 */
import type { AgentContext } from "../runtime/contract.ts";
import { sqlFor } from "../runtime/sql.ts";
import { foldName, type Reason, reason } from "./manus-item.ts";

/** An attribute as the Category table stores it (the listings catalog's AttributeDefinition). */
export interface AttributeDefinition {
  key: string;
  label: string;
  type: "INT" | "DECIMAL" | "STRING" | "BOOLEAN" | "ENUM";
  required?: boolean;
  options?: { value: string; label: string }[];
}

export interface CategoryRow {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  /** Own attribute definitions: a subcategory inherits its ancestors'. */
  attributes: unknown;
}

export interface MatchedCategory {
  id: number;
  name: string;
  /** Its own and its ancestors' attributes. */
  attributes: AttributeDefinition[];
}

export class CategoryIndex {
  private readonly byId = new Map<number, CategoryRow>();
  private readonly byKey = new Map<string, CategoryRow[]>();
  private readonly parents = new Set<number>();

  constructor(rows: readonly CategoryRow[]) {
    for (const row of rows) {
      this.byId.set(row.id, row);
      if (row.parentId !== null) this.parents.add(row.parentId);
      for (const key of new Set([foldName(row.name), foldName(row.slug)])) this.byKey.set(key, [...(this.byKey.get(key) ?? []), row]);
    }
  }

  static async load(db: AgentContext["db"]): Promise<CategoryIndex> {
    // Plain SQL (runtime/sql.ts): a manus run in a worker never loads Prisma's query compiler.
    return new CategoryIndex(await sqlFor(db)<CategoryRow>(`SELECT id, slug, name, "parentId", attributes FROM "Category"`));
  }

  /** The leaf category a path of names stands for, or why there is none. */
  match(path: readonly string[]): { category: MatchedCategory } | { problem: Reason } {
    if (path.length === 0) return { problem: reason("categoryId", "CATEGORY_MISSING", "the item names no category") };
    for (const name of [...path].reverse()) {
      const rows = this.byKey.get(foldName(name));
      if (!rows) continue;
      const row = rows.find((r) => this.isLeaf(r)) ?? rows[0]!;
      if (this.isLeaf(row)) return { category: { id: row.id, name: row.name, attributes: this.attributesOf(row) } };
      const children = [...this.byId.values()].filter((c) => c.parentId === row.id).map((c) => c.name);
      return {
        problem: reason("categoryId", "CATEGORY_NOT_LEAF", `"${row.name}" has subcategories (${children.join(", ")}): a listing goes in one of them`),
      };
    }
    return { problem: reason("categoryId", "CATEGORY_NOT_FOUND", `no category named ${path.map((n) => `"${n.slice(0, 60)}"`).join(" or ")}`) };
  }

  private isLeaf(row: CategoryRow): boolean {
    return !this.parents.has(row.id);
  }

  private attributesOf(row: CategoryRow): AttributeDefinition[] {
    const own = Array.isArray(row.attributes) ? (row.attributes as AttributeDefinition[]) : [];
    const parent = row.parentId === null ? undefined : this.byId.get(row.parentId);
    return [...(parent ? this.attributesOf(parent) : []), ...own];
  }
}
