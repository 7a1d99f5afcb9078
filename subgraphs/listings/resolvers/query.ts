import { COUNTIES } from "../../../lib/locations.ts";
import type { QueryResolvers } from "../__generated__/resolvers.ts";

// @authenticated / @requiresScopes in the SDL guarantee a viewer wherever `viewer!` is used.
export const Query: QueryResolvers = {
  listing: (_, { id }, { loaders }) => loaders.visibleListing.load(id),
  listings: (_, { filter, sort, first, after }, { listings }, info) => listings.browse(filter, sort, { first, after }, info),
  categories: (_, __, { catalog }) => catalog.roots,
  category: (_, { id, slug }, { listings }) => listings.category(id, slug),
  counties: () => [...COUNTIES],
  cities: (_, { county }, { listings }) => listings.cities(county),
  myListings: (_, { status, first, after }, { listings, viewer }) => listings.myListings(viewer!, status, { first, after }),
  myFavorites: (_, { first, after }, { listings, viewer }) => listings.myFavorites(viewer!, { first, after }),
  listingReports: (_, { first, after }, { listings }) => listings.reports({ first, after }),
  myListingImports: (_, { first, after }, { imports, viewer }) => imports.mine(viewer!, { first, after }),
  listingsAwaitingReview: (_, { first, after }, { moderation }) => moderation.awaitingReview({ first, after }),
};
