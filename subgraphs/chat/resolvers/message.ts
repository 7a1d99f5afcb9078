import type { MessageResolvers } from "../__generated__/resolvers.ts";

// A message reaches these resolvers only from a conversation the viewer may read, or the viewer's events.
export const Message: MessageResolvers = {
  conversation: async (m, _, { loaders }) => (await loaders.conversation.load(m.conversationId))!,
  sender: (m) => ({ id: m.senderId }),
  isMine: (m, _, { viewer }) => m.senderId === viewer?.userId,
  images: (m, _, { loaders }) => loaders.images.load(m.id),
};
