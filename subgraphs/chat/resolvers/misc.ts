import type { BlockedUserResolvers, ConversationFlagResolvers, ConversationReportResolvers } from "../__generated__/resolvers.ts";

export const BlockedUser: BlockedUserResolvers = {
  user: (b) => ({ id: b.blockedId }),
  blockedAt: (b) => b.createdAt,
};

export const ConversationReport: ConversationReportResolvers = {
  // Reports are listed to admins only, who may read any conversation.
  conversation: async (r, _, { loaders }) => (await loaders.conversation.load(r.conversationId))!,
  reporter: (r) => ({ id: r.reporterId }),
};

export const ConversationFlag: ConversationFlagResolvers = {
  // Flags are listed to admins only, who may read any conversation.
  conversation: async (f, _, { loaders }) => (await loaders.conversation.load(f.conversationId))!,
  message: async (f, _, { loaders }) => (await loaders.message.load(f.messageId))!,
  reasons: (f) => f.reasons as { code: string; message: string }[],
  flaggedAt: (f) => f.updatedAt,
};
