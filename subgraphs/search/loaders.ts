import DataLoader from "dataloader";
import type { Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { isUuid } from "../../lib/ids.ts";
import type { SavedSearch } from "../../prisma/generated/client.ts";

/**
 * Per-request loaders: a page of alerts costs one statement for their saved searches and one for the
 * unseen counts. Only the viewer's own saved searches load: someone else's id is null.
 */
export function createLoaders(prisma: PrismaClient, viewer: Viewer | null) {
  const own = (ids: readonly string[]) => ({ id: { in: ids.filter(isUuid) }, userId: viewer?.userId ?? "" });
  return {
    savedSearch: new DataLoader<string, SavedSearch | null>(async (ids) => {
      if (!viewer) return ids.map(() => null);
      const rows = new Map((await prisma.savedSearch.findMany({ where: own(ids) })).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),

    unseenAlertCount: new DataLoader<string, number>(async (savedSearchIds) => {
      if (!viewer) return savedSearchIds.map(() => 0);
      const rows = await prisma.searchAlert.groupBy({
        by: ["savedSearchId"],
        where: { savedSearchId: { in: savedSearchIds.filter(isUuid) }, userId: viewer.userId, seenAt: null },
        _count: true,
      });
      const counts = new Map(rows.map((r) => [r.savedSearchId, r._count]));
      return savedSearchIds.map((id) => counts.get(id) ?? 0);
    }),
  };
}

export type SearchLoaders = ReturnType<typeof createLoaders>;
