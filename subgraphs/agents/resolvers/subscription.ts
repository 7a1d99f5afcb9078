import type { SubscriptionResolvers } from "../__generated__/resolvers.ts";
import { hydrateRun, type RunEvent } from "../events.ts";

// @requiresScopes(admin) guards subscribe() as well (lib/graphql/authorization.ts).
export const Subscription: SubscriptionResolvers = {
  agentRunUpdated: {
    subscribe: (_, { id, agent }, { agents }) => agents.runEvents(id, agent),
    resolve: (event: RunEvent) => hydrateRun(event),
  },
};
