import type { MutationResolvers } from "../__generated__/resolvers.ts";

// @authenticated in the SDL guarantees a viewer wherever `viewer!` is used.
export const Mutation: MutationResolvers = {
  saveSearch: (_, { name, query, filter }, { savedSearches, viewer }) => savedSearches.save(viewer!, name, query, filter),
  deleteSavedSearch: (_, { id }, { savedSearches, viewer }) => savedSearches.delete(viewer!, id),
  markSearchAlertsSeen: (_, __, { savedSearches, viewer }) => savedSearches.markSeen(viewer!),
};
