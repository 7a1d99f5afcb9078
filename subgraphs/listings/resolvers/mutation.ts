import type { MutationResolvers } from "../__generated__/resolvers.ts";

// @authenticated in the SDL guarantees a viewer wherever `viewer!` is used.
export const Mutation: MutationResolvers = {
  createListing: (_, { input, idempotencyKey }, { listings, viewer }) => listings.create(viewer!, input, idempotencyKey),
  updateListing: (_, { id, input, expectedVersion }, { listings, viewer }) => listings.update(viewer!, id, input, expectedVersion),
  publishListing: (_, { id }, { listings, viewer }) => listings.publish(viewer!, id),
  importListings: (_, { urls }, { imports, viewer }) => imports.request(viewer!, urls),
  reviewListing: (_, { id, decision, reason }, { listings, viewer }) => listings.review(viewer!, id, decision, reason),
  markListingSold: (_, { id }, { listings, viewer }) => listings.markSold(viewer!, id),
  addListingImages: (_, { listingId, imageIds }, { listings, viewer }) => listings.addImages(viewer!, listingId, imageIds),
  reorderListingImages: (_, { listingId, imageIds }, { listings, viewer }) => listings.reorderImages(viewer!, listingId, imageIds),
  removeListingImage: (_, { listingId, imageId }, { listings, viewer }) => listings.removeImage(viewer!, listingId, imageId),
  deleteListing: (_, { id }, { listings, viewer }) => listings.delete(viewer!, id),
  renewListing: (_, { id }, { listings, viewer }) => listings.renew(viewer!, id),
  addFavorite: (_, { listingId }, { listings, viewer }) => listings.addFavorite(viewer!, listingId),
  removeFavorite: (_, { listingId }, { listings, viewer }) => listings.removeFavorite(viewer!, listingId),
  reportListing: (_, { listingId, reason, text, idempotencyKey }, { listings, viewer }) =>
    listings.report(viewer!, listingId, reason, text, idempotencyKey),
  recordListingView: (_, { id }, { listings, viewer, clientIp }) => listings.recordView(viewer, id, clientIp),
};
