import type { MutationResolvers } from "../__generated__/resolvers.ts";
import { refreshLoaders } from "../loaders.ts";

// @authenticated in the SDL guarantees a viewer wherever `viewer!` is used. The state a write returns
// is primed into the loaders, so the answer shows the conversation as the write left it.
export const Mutation: MutationResolvers = {
  startConversation: async (_, { listingId, body }, { chat, loaders, viewer }) => {
    const state = await chat.start(viewer!, listingId, body);
    refreshLoaders(loaders, state);
    return state.conversation;
  },
  sendMessage: (_, { conversationId, body, imageIds }, { chat, viewer }) => chat.send(viewer!, conversationId, body, imageIds),
  markConversationRead: async (_, { conversationId }, { chat, loaders, viewer }) => {
    const state = await chat.markRead(viewer!, conversationId);
    refreshLoaders(loaders, state);
    return state.conversation;
  },
  blockUser: (_, { userId }, { chat, viewer }) => chat.block(viewer!, userId),
  unblockUser: (_, { userId }, { chat, viewer }) => chat.unblock(viewer!, userId),
  dismissConversationFlag: (_, { conversationId }, { scamScan }) => scamScan.dismiss(conversationId),
  reportConversation: (_, { conversationId, reason, text }, { chat, viewer }) => chat.report(viewer!, conversationId, reason, text),
};
