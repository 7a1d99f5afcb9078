import type { SubscriptionResolvers } from "../__generated__/resolvers.ts";
import type { ChatContext } from "../context.ts";
import { hydrateConversationEvent, hydrateMessage, type ConversationEvent, type MessageEvent } from "../events.ts";
import { refreshLoaders } from "../loaders.ts";

// @authenticated guards subscribe() as well (lib/graphql/authorization.ts): `viewer!` holds. Each
// event is read fresh: a subscription's context (and so its loaders) may live for hours.
export const Subscription: SubscriptionResolvers = {
  messageAdded: {
    subscribe: (_, { conversationId }, { chat, viewer }) => chat.messageEvents(viewer!, conversationId),
    resolve: (event: MessageEvent, _: unknown, { loaders }: ChatContext) => {
      refreshLoaders(loaders, {});
      return hydrateMessage(event.message);
    },
  },
  conversationUpdated: {
    subscribe: (_, __, { chat, viewer }) => chat.conversationEvents(viewer!),
    resolve: (event: ConversationEvent, _: unknown, { loaders }: ChatContext) => {
      const state = hydrateConversationEvent(event);
      refreshLoaders(loaders, state);
      return state.conversation;
    },
  },
};
