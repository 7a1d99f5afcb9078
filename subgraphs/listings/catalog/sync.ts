import { isDeepStrictEqual } from "node:util";
import type { PrismaClient } from "../../../lib/db/database.ts";
import type { Catalog } from "./catalog.ts";

/**
 * Mirrors the in-code catalog into the Category table (listings reference it by foreign key).
 * Parents before children; idempotent, so every start brings the table up to date with the code. Only
 * rows that differ are written: a restart reads the table once and writes nothing.
 */
export async function syncCategories(prisma: PrismaClient, catalog: Catalog): Promise<void> {
  const ordered = [...catalog.all()].sort((a, b) => catalog.path(a).length - catalog.path(b).length);
  const stored = new Map((await prisma.category.findMany()).map((row) => [row.id, row]));
  const changed = ordered
    .map((c) => ({
      id: c.id,
      data: { slug: c.slug, name: c.name, parentId: c.parentId, position: c.position, attributes: c.ownAttributes as object[] },
    }))
    .filter(({ id, data }) => {
      const row = stored.get(id);
      // jsonb keeps no key order and drops undefined: compare as JSON values.
      const attributes = JSON.parse(JSON.stringify(data.attributes)) as unknown;
      return !row || row.slug !== data.slug || row.name !== data.name || row.parentId !== data.parentId || row.position !== data.position || !isDeepStrictEqual(row.attributes, attributes);
    });
  if (!changed.length) return;
  // All or nothing, and patient: a first start on a busy machine writes ~70 rows (Prisma's 5 s default
  // was seen to expire under load in CI).
  await prisma.$transaction(
    async (tx) => {
      for (const { id, data } of changed) await tx.category.upsert({ where: { id }, create: { id, ...data }, update: data });
    },
    { timeout: 60_000 },
  );
}
