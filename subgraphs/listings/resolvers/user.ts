import type { UserResolvers } from "../__generated__/resolvers.ts";
import { pageSize } from "../../../lib/graphql/pagination.ts";

export const User: UserResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  listings: async ({ id }, { first, after }, { listings, loaders }) => {
    if (after) return listings.sellerListings(id, { first, after });
    // First pages are batched across every seller in the response (one statement for all of them).
    const size = pageSize(first);
    const rows = await loaders.sellerFirstPage.load(`${id}:${size + 1}`);
    return listings.sellerFirstPage(rows, size, () => loaders.activeListingCount.load(id));
  },
  listingCount: ({ id }, _, { loaders }) => loaders.activeListingCount.load(id),
};
