import type { UserResolvers } from "../__generated__/resolvers.ts";

export const User: UserResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  listings: ({ id }, { first, after }, { listings, loaders }) => listings.sellerListings(id, { first, after }, loaders),
  listingCount: ({ id }, _, { loaders }) => loaders.activeListingCount.load(id),
};
