import DataLoader from "dataloader";
import type { Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { isUuid } from "../../lib/ids.ts";
import type { Listing } from "../../prisma/generated/client.ts";
import type { ListingsService } from "./listings.service.ts";

/** How many of a seller's listings a User.listings first page shows at most (the batch fetches this many). */
const SELLER_PAGE_MAX = 100;

function countsBy(rows: { key: string; count: number }[], keys: readonly string[]): number[] {
  const byKey = new Map(rows.map((r) => [r.key, r.count]));
  return keys.map((k) => byKey.get(k) ?? 0);
}

/**
 * Per-request loaders: each batches every key asked for in one tick into one SQL statement, so a page
 * of 50 listings costs the same few statements as a page of 5.
 */
export function createLoaders(prisma: PrismaClient, service: ListingsService, viewer: Viewer | null) {
  return {
    listing: new DataLoader<string, Listing | null>(async (ids) => {
      const rows = await prisma.listing.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),

    favoriteCount: new DataLoader<string, number>(async (ids) => {
      const rows = await prisma.favorite.groupBy({ by: ["listingId"], where: { listingId: { in: [...ids] } }, _count: true });
      return countsBy(rows.map((r) => ({ key: r.listingId, count: r._count })), ids);
    }),

    reportCount: new DataLoader<string, number>(async (ids) => {
      const rows = await prisma.listingReport.groupBy({ by: ["listingId"], where: { listingId: { in: [...ids] } }, _count: true });
      return countsBy(rows.map((r) => ({ key: r.listingId, count: r._count })), ids);
    }),

    isFavorite: new DataLoader<string, boolean>(async (ids) => {
      if (!viewer) return ids.map(() => false);
      const rows = await prisma.favorite.findMany({
        where: { userId: viewer.userId, listingId: { in: [...ids] } },
        select: { listingId: true },
      });
      const saved = new Set(rows.map((r) => r.listingId));
      return ids.map((id) => saved.has(id));
    }),

    activeListingCount: new DataLoader<string, number>(async (sellerIds) => {
      const rows = await prisma.listing.groupBy({
        by: ["sellerId"],
        where: service.activeWhere({ sellerId: { in: sellerIds.filter(isUuid) } }),
        _count: true,
      });
      return countsBy(rows.map((r) => ({ key: r.sellerId, count: r._count })), sellerIds);
    }),

    /**
     * First pages of several sellers' active listings in one statement: the newest N per seller with a
     * window function (Prisma has no per-group LIMIT). Keys are "sellerId:size".
     */
    sellerFirstPage: new DataLoader<string, Listing[]>(async (keys) => {
      const parsed = keys.map((k) => {
        const [sellerId = "", size = "0"] = k.split(":");
        return { sellerId, size: Number(size) };
      });
      const sellerIds = [...new Set(parsed.map((p) => p.sellerId).filter(isUuid))];
      const limit = Math.min(SELLER_PAGE_MAX + 1, Math.max(0, ...parsed.map((p) => p.size)));
      const rows = sellerIds.length
        ? await prisma.$queryRaw<(Listing & { rn: bigint })[]>`
            SELECT * FROM (
              SELECT l.*, row_number() OVER (PARTITION BY l."sellerId" ORDER BY l."publishedAt" DESC, l.id DESC) AS rn
              FROM "Listing" l
              WHERE l."sellerId" = ANY(${sellerIds}::uuid[]) AND l.status = 'ACTIVE' AND l."expiresAt" > now()
            ) ranked
            WHERE rn <= ${limit}
            ORDER BY "sellerId", rn`
        : [];
      const bySeller = new Map<string, Listing[]>();
      for (const { rn: _rn, ...row } of rows) {
        const list = bySeller.get(row.sellerId) ?? [];
        list.push(row);
        bySeller.set(row.sellerId, list);
      }
      return parsed.map((p) => (bySeller.get(p.sellerId) ?? []).slice(0, p.size));
    }),
  };
}

export type ListingsLoaders = ReturnType<typeof createLoaders>;
