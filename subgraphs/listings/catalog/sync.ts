import type { PrismaClient } from "../../../lib/db/database.ts";
import type { Catalog } from "./catalog.ts";

/**
 * Mirrors the in-code catalog into the Category table (listings reference it by foreign key).
 * Parents before children; idempotent, so every start brings the table up to date with the code.
 */
export async function syncCategories(prisma: PrismaClient, catalog: Catalog): Promise<void> {
  const ordered = [...catalog.all()].sort((a, b) => catalog.path(a).length - catalog.path(b).length);
  await prisma.$transaction(
    ordered.map((c) => {
      const data = {
        slug: c.slug,
        name: c.name,
        parentId: c.parentId,
        position: c.position,
        attributes: c.ownAttributes as object[],
      };
      return prisma.category.upsert({ where: { id: c.id }, create: { id: c.id, ...data }, update: data });
    }),
  );
}
