import type { SearchResultsResolvers } from "../__generated__/resolvers.ts";

/** Each part loads when selected; the parts selected together load in one statement (search.service.ts). */
export const SearchResults: SearchResultsResolvers = {
  edges: (results) => results.edges(),
  pageInfo: (results) => results.pageInfo(),
  totalCount: (results) => results.totalCount(),
  facets: (results) => results.facets(),
};
