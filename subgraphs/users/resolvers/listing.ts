import type { ListingResolvers } from "../__generated__/resolvers.ts";

export const Listing: ListingResolvers = {
  contactPhone: async (listing, _, ctx) => ctx.phones.reveal(ctx, listing, await ctx.loaders.user.load(listing.seller.id)),
  phoneRevealCount: (listing, _, { phones, viewer }) => phones.revealCount(viewer, listing),
};
