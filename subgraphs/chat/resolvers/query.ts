import type { QueryResolvers } from "../__generated__/resolvers.ts";

// @authenticated / @requiresScopes in the SDL guarantee a viewer wherever `viewer!` is used.
export const Query: QueryResolvers = {
  conversations: (_, { first, after }, { chat, viewer }) => chat.conversations(viewer!, { first, after }),
  conversation: async (_, { id }, { chat, loaders, viewer }) => chat.visible(viewer, await loaders.conversation.load(id)),
  unreadMessageCount: (_, __, { chat, viewer }) => chat.unreadCount(viewer!),
  blockedUsers: (_, { first, after }, { chat, viewer }) => chat.blockedUsers(viewer!, { first, after }),
  conversationReports: (_, { first, after }, { chat }) => chat.reports({ first, after }),
  flaggedConversations: (_, { first, after }, { scamScan }) => scamScan.flagged({ first, after }),
};
