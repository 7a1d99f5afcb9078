import { findCounty } from "../../../lib/locations.ts";
import { describeAttributes } from "../catalog/attributes.ts";
import type { ListingResolvers } from "../__generated__/resolvers.ts";
import { canEdit, isSeller } from "../listing-access.ts";
import { effectiveStatus } from "../listing-status.ts";

export const Listing: ListingResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.visibleListing.load(id),
  description: (l, _, { loaders }) => l.description ?? loaders.description(l.id),
  price: (l) => ({ amount: l.priceAmount, currency: l.currency }),
  location: (l) => ({ county: findCounty(l.county)!, city: l.city }),
  category: (l, _, { catalog }) => catalog.get(l.categoryId)!,
  attributes: (l, _, { catalog }) => describeAttributes(catalog.attributesOf(catalog.get(l.categoryId)!), l.attributes),
  attributeValues: (l) => l.attributes ?? {},
  status: (l) => effectiveStatus(l),
  seller: (l) => ({ id: l.sellerId }),
  isMine: (l, _, { viewer }) => isSeller(l, viewer),
  isFavorite: (l, _, { loaders }) => loaders.isFavorite.load(l.id),
  reportCount: (l, _, { loaders }) => loaders.reportCount.load(l.id),
  similar: (l, { first }, { listings, loaders }) => listings.similar(l, first, loaders),
  images: (l, _, { loaders }) => loaders.images.load(l.id),
  coverImage: (l, _, { loaders }) => loaders.coverImage.load(l.id),
  // The seller's and admins' only (the same rule as editing): verdicts name what the moderator suspects.
  aiInsights: async (l, _, { loaders, viewer }) => {
    if (!viewer || !canEdit(l, viewer)) return null;
    const moderation = await loaders.moderation.load(l.id);
    return moderation && { moderation };
  },
};
