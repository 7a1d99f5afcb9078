import DataLoader from "dataloader";
import { isAdmin, type Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { isUuid } from "../../lib/ids.ts";
import type { ChatMessage, Conversation, ConversationMember, MessageImage } from "../../prisma/generated/client.ts";

function byKey<T, K>(rows: T[], keyOf: (row: T) => K): Map<K, T> {
  return new Map(rows.map((row) => [keyOf(row), row]));
}

/** The key of an unordered pair of users, for the blocks between them. */
export const pairKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/**
 * Per-request loaders: a page of conversations costs the same few statements (conversations, members,
 * last messages, blocks) whatever its size.
 */
export function createLoaders(prisma: PrismaClient, viewer: Viewer | null) {
  return {
    conversation: new DataLoader<string, Conversation | null>(async (ids) => {
      const rows = byKey(await prisma.conversation.findMany({ where: { id: { in: ids.filter(isUuid) } } }), (r) => r.id);
      return ids.map((id) => rows.get(id) ?? null);
    }),

    /** Both members of each conversation (the viewer's unread count, the other's read receipt). */
    members: new DataLoader<string, ConversationMember[]>(async (conversationIds) => {
      const rows = await prisma.conversationMember.findMany({ where: { conversationId: { in: conversationIds.filter(isUuid) } } });
      return conversationIds.map((id) => rows.filter((r) => r.conversationId === id));
    }),

    message: new DataLoader<string, ChatMessage | null>(async (ids) => {
      const rows = byKey(await prisma.chatMessage.findMany({ where: { id: { in: ids.filter(isUuid) } } }), (r) => r.id);
      return ids.map((id) => rows.get(id) ?? null);
    }),

    /** Each message's photos in order: a page of messages in one statement. */
    images: new DataLoader<string, MessageImage[]>(async (messageIds) => {
      const rows = await prisma.messageImage.findMany({
        where: { messageId: { in: messageIds.filter(isUuid) } },
        orderBy: [{ messageId: "asc" }, { position: "asc" }],
      });
      const byMessage = new Map<string, MessageImage[]>();
      for (const row of rows) byMessage.set(row.messageId, [...(byMessage.get(row.messageId) ?? []), row]);
      return messageIds.map((id) => byMessage.get(id) ?? []);
    }),

    /** Keyed by pairKey: whether either of the two blocked the other. */
    blockedPair: new DataLoader<string, boolean>(async (pairs) => {
      const split = pairs.map((p) => p.split(":") as [string, string]);
      const rows = await prisma.chatBlock.findMany({
        where: { OR: split.flatMap(([a, b]) => [{ blockerId: a, blockedId: b }, { blockerId: b, blockedId: a }]) },
        select: { blockerId: true, blockedId: true },
      });
      const blocked = new Set(rows.map((r) => pairKey(r.blockerId, r.blockedId)));
      return pairs.map((p) => blocked.has(p));
    }),

    /**
     * Conversations about each listing. Counted only among the viewer's own as seller (an admin's: all),
     * so a count reaches no one but the seller even if a caller forgot to check who asks.
     */
    conversationCount: new DataLoader<string, number>(async (listingIds) => {
      if (!viewer) return listingIds.map(() => 0);
      const rows = await prisma.conversation.groupBy({
        by: ["listingId"],
        where: { listingId: { in: listingIds.filter(isUuid) }, ...(isAdmin(viewer) ? {} : { sellerId: viewer.userId }) },
        _count: true,
      });
      const counts = new Map(rows.map((r) => [r.listingId, r._count]));
      return listingIds.map((id) => counts.get(id) ?? 0);
    }),
  };
}

export type ChatLoaders = ReturnType<typeof createLoaders>;

/**
 * Forgets what the loaders read and primes them with a conversation's state as it is now: one
 * subscription keeps its context for hours, and each event must read fresh.
 */
export function refreshLoaders(
  loaders: ChatLoaders,
  state: { conversation?: Conversation; members?: ConversationMember[]; lastMessage?: ChatMessage },
): void {
  for (const loader of Object.values(loaders)) loader.clearAll();
  if (state.conversation) loaders.conversation.prime(state.conversation.id, state.conversation);
  if (state.conversation && state.members) loaders.members.prime(state.conversation.id, state.members);
  if (state.lastMessage) loaders.message.prime(state.lastMessage.id, state.lastMessage);
}
