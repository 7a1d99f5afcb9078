import type { SearchResultsResolvers } from "../__generated__/resolvers.ts";

/** Counted only when selected: each is a statement of its own over every match. */
export const SearchResults: SearchResultsResolvers = {
  totalCount: (results) => results.totalCount(),
  facets: (results) => results.facets(),
};
