import { notFound } from "../../../lib/errors.ts";
import type { SavedSearchResolvers, SearchAlertResolvers } from "../__generated__/resolvers.ts";

export const SavedSearch: SavedSearchResolvers = {
  unseenAlertCount: (search, _, { loaders }) => loaders.unseenAlertCount.load(search.id),
};

export const SearchAlert: SearchAlertResolvers = {
  // The alert's owner is the viewer (searchAlerts lists only theirs), so the search always loads.
  savedSearch: async (alert, _, { loaders }) => (await loaders.savedSearch.load(alert.savedSearchId)) ?? Promise.reject(notFound("Căutarea salvată")),
  listing: (alert) => ({ id: alert.listingId }),
  seen: (alert) => alert.seenAt !== null,
};
