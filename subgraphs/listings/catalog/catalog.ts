/**
 * The category tree in memory. Categories are reference data defined in code (categories.ts) and
 * mirrored into the Category table at start, so reads of a category cost no SQL at all.
 */
import type { AttributeDefinition, CategoryDefinition } from "./attribute-definition.ts";
import { CATEGORY_TREE } from "./categories.ts";

export interface CatalogCategory {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  position: number;
  childIds: number[];
  /** Own attribute definitions only; see Catalog.attributesOf for the inherited set. */
  ownAttributes: AttributeDefinition[];
}

export class Catalog {
  private readonly byId = new Map<number, CatalogCategory>();
  private readonly bySlug = new Map<string, CatalogCategory>();
  /** Path, subtree and inherited attributes never change: worked out once per category, on first use. */
  private readonly cache = new Map<number, { path: CatalogCategory[]; subtreeIds: number[]; attributes: AttributeDefinition[] }>();
  readonly roots: CatalogCategory[] = [];

  constructor(tree: readonly CategoryDefinition[] = CATEGORY_TREE) {
    const visit = (def: CategoryDefinition, parentId: number | null, position: number) => {
      const category: CatalogCategory = {
        id: def.id,
        slug: def.slug,
        name: def.name,
        parentId,
        position,
        childIds: (def.children ?? []).map((c) => c.id),
        ownAttributes: def.attributes ?? [],
      };
      this.byId.set(def.id, category);
      this.bySlug.set(def.slug, category);
      if (parentId === null) this.roots.push(category);
      (def.children ?? []).forEach((child, i) => visit(child, def.id, i));
    };
    tree.forEach((def, i) => visit(def, null, i));
  }

  get(id: number | string): CatalogCategory | undefined {
    return this.byId.get(Number(id));
  }

  getBySlug(slug: string): CatalogCategory | undefined {
    return this.bySlug.get(slug);
  }

  all(): CatalogCategory[] {
    return [...this.byId.values()];
  }

  children(category: CatalogCategory): CatalogCategory[] {
    return category.childIds.map((id) => this.byId.get(id)!);
  }

  /** From the root down to the category itself. */
  path(category: CatalogCategory): CatalogCategory[] {
    return this.derived(category).path;
  }

  /** The category and all its descendants: filtering by a category includes its subcategories. */
  subtreeIds(category: CatalogCategory): number[] {
    return this.derived(category).subtreeIds;
  }

  attributesOf(category: CatalogCategory): AttributeDefinition[] {
    return this.derived(category).attributes;
  }

  isLeaf(category: CatalogCategory): boolean {
    return category.childIds.length === 0;
  }

  private derived(category: CatalogCategory) {
    let entry = this.cache.get(category.id);
    if (!entry) {
      const path: CatalogCategory[] = [];
      for (let c: CatalogCategory | undefined = category; c; c = c.parentId === null ? undefined : this.byId.get(c.parentId)) {
        path.unshift(c);
      }
      entry = {
        path,
        subtreeIds: [category.id, ...this.children(category).flatMap((c) => this.subtreeIds(c))],
        attributes: path.flatMap((c) => c.ownAttributes),
      };
      this.cache.set(category.id, entry);
    }
    return entry;
  }
}
