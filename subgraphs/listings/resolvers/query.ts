import { COUNTIES, findCounty } from "../../../lib/locations.ts";
import { badInput } from "../../../lib/errors.ts";
import type { QueryResolvers } from "../__generated__/resolvers.ts";

// @authenticated / @requiresScopes in the SDL guarantee a viewer wherever `viewer!` is used.
export const Query: QueryResolvers = {
  listing: async (_, { id }, { loaders, listings, viewer }) => {
    const listing = await loaders.listing.load(id);
    return listing && listings.canSee(listing, viewer) ? listing : null;
  },
  listings: (_, { filter, sort, first, after }, { listings }) => listings.browse(filter, sort ?? "NEWEST", { first, after }),
  categories: (_, __, { catalog }) => catalog.roots,
  category: (_, { id, slug }, { catalog }) => {
    if ((id == null) === (slug == null)) throw badInput("Dă fie id, fie slug.", id == null ? "id" : "slug");
    return (id != null ? catalog.get(id) : catalog.getBySlug(slug!)) ?? null;
  },
  counties: () => [...COUNTIES],
  cities: (_, { county }) => {
    const found = findCounty(county.toUpperCase());
    if (!found) throw badInput(`Județul „${county}” nu există.`, "county");
    return found.cities;
  },
  myListings: (_, { status, first, after }, { listings, viewer }) => listings.myListings(viewer!, status, { first, after }),
  myFavorites: (_, { first, after }, { listings, viewer }) => listings.myFavorites(viewer!, { first, after }),
  listingReports: (_, { first, after }, { listings }) => listings.reports({ first, after }),
};
