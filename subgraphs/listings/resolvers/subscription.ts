import type { SubscriptionResolvers } from "../__generated__/resolvers.ts";
import type { ListingsContext } from "../context.ts";
import type { StatusEvent } from "../events.ts";

// @authenticated guards subscribe() as well: `viewer!` holds. The channel is the seller's own; each
// event reads the listing fresh (a subscription's loaders may live for hours).
export const Subscription: SubscriptionResolvers = {
  myListingStatusChanged: {
    subscribe: (_, __, { events, viewer }) => events.sellerStatusChanges(viewer!.userId),
    // The channel is the seller's, so the listing is theirs; rows are never removed (deletion is a status).
    resolve: async (event: StatusEvent, _: unknown, { loaders }: ListingsContext) => {
      loaders.listing.clear(event.listingId);
      loaders.moderation.clear(event.listingId);
      return (await loaders.listing.load(event.listingId))!;
    },
  },
};
