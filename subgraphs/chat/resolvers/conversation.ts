import type { ConversationResolvers } from "../__generated__/resolvers.ts";
import { otherOf } from "../chat.service.ts";
import { pairKey } from "../loaders.ts";

// A Conversation reaches these resolvers only after a read check (Query.conversation, the viewer's
// own list, a message or report the viewer may read): its fields need none of their own.
export const Conversation: ConversationResolvers = {
  listing: (c) => ({ id: c.listingId }),
  buyer: (c) => ({ id: c.buyerId }),
  seller: (c) => ({ id: c.sellerId }),
  otherParticipant: (c, _, { viewer }) => ({ id: otherOf(c, viewer?.userId) }),
  lastMessage: async (c, _, { loaders }) => (await loaders.message.load(c.lastMessageId))!,
  unreadCount: async (c, _, { loaders, viewer }) => (await loaders.members.load(c.id)).find((m) => m.userId === viewer?.userId)?.unreadCount ?? 0,
  otherParticipantReadAt: async (c, _, { loaders, viewer }) => {
    const other = otherOf(c, viewer?.userId);
    return (await loaders.members.load(c.id)).find((m) => m.userId === other)?.lastReadAt ?? null;
  },
  blocked: (c, _, { loaders }) => loaders.blockedPair.load(pairKey(c.buyerId, c.sellerId)),
  messages: (c, { first, before }, { chat }) => chat.messages(c.id, first, before),
};
