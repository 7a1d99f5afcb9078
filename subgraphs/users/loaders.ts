import DataLoader from "dataloader";
import type { PrismaClient } from "../../lib/db/database.ts";
import { isUuid } from "../../lib/ids.ts";
import type { User } from "../../prisma/generated/client.ts";

/** Per-request loaders: every User reference in a request becomes one `WHERE id IN (…)` query. */
export function createLoaders(prisma: PrismaClient) {
  return {
    user: new DataLoader<string, User | null>(async (ids) => {
      const rows = await prisma.user.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type UsersLoaders = ReturnType<typeof createLoaders>;
