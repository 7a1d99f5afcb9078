import { isAdmin } from "../../../lib/context.ts";
import type { ListingResolvers } from "../__generated__/resolvers.ts";

export const Listing: ListingResolvers = {
  __resolveReference: (listing) => listing,
  /**
   * The seller's id comes with the reference (@requires: the listings subgraph says whose listing it
   * is, also when nobody wrote yet and chat has no row naming the seller); the count is chat's own.
   */
  conversationCount: (listing, _, { loaders, viewer }) => {
    if (!viewer || (listing.seller?.id !== viewer.userId && !isAdmin(viewer))) return null;
    return loaders.conversationCount.load(listing.id);
  },
};
