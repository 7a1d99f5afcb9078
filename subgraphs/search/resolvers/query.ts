import type { QueryResolvers } from "../__generated__/resolvers.ts";

// @authenticated in the SDL guarantees a viewer wherever `viewer!` is used.
export const Query: QueryResolvers = {
  search: (_, args, { search }) => search.search(args),
  suggest: (_, { prefix, first }, { search }) => search.suggest(prefix, first),
  savedSearches: (_, __, { savedSearches, viewer }) => savedSearches.list(viewer!),
  searchAlerts: (_, { first, after }, { savedSearches, viewer }) => savedSearches.alerts(viewer!, { first, after }),
};
