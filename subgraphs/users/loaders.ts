import DataLoader from "dataloader";
import type { PrismaClient } from "../../lib/db/database.ts";
import { isUuid } from "../../lib/ids.ts";
import type { User } from "../../prisma/generated/client.ts";
import type { PublicProfile, UsersService } from "./users.service.ts";

/** Per-request loaders: every User reference in a request becomes one `WHERE id IN (…)` query at most. */
export function createLoaders(prisma: PrismaClient, users: UsersService) {
  return {
    /** Whole rows, for what only the user themselves or an admin reads (me, e-mail, phone). */
    user: new DataLoader<string, User | null>(async (ids) => {
      const rows = await prisma.user.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** What anyone reads of a user; mostly answered from memory (UsersService.publicProfiles). */
    profile: new DataLoader<string, PublicProfile | null>((ids) => users.publicProfiles(ids)),
  };
}

export type UsersLoaders = ReturnType<typeof createLoaders>;
