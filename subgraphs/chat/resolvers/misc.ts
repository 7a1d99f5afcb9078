import type { BlockedUserResolvers, ConversationReportResolvers } from "../__generated__/resolvers.ts";

export const BlockedUser: BlockedUserResolvers = {
  user: (b) => ({ id: b.blockedId }),
  blockedAt: (b) => b.createdAt,
};

export const ConversationReport: ConversationReportResolvers = {
  // Reports are listed to admins only, who may read any conversation.
  conversation: async (r, _, { loaders }) => (await loaders.conversation.load(r.conversationId))!,
  reporter: (r) => ({ id: r.reporterId }),
};
