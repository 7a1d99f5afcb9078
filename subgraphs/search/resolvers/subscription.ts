import { notFound } from "../../../lib/errors.ts";
import type { SubscriptionResolvers } from "../__generated__/resolvers.ts";
import type { SearchContext } from "../context.ts";
import type { MatchEvent } from "../saved-searches.ts";

// @authenticated guards subscribe() as well (lib/graphql/authorization.ts): `viewer!` holds.
export const Subscription: SubscriptionResolvers = {
  savedSearchMatched: {
    subscribe: (_, __, { savedSearches, viewer }) => savedSearches.matchEvents(viewer!),
    resolve: async (event: MatchEvent, _: unknown, { loaders }: SearchContext) => {
      // Deleted since the match: this event has nothing left to show.
      const savedSearch = await loaders.savedSearch.load(event.savedSearchId);
      if (!savedSearch) throw notFound("Căutarea salvată");
      return { savedSearch, listings: event.listingIds.map((id) => ({ id })) };
    },
  },
};
