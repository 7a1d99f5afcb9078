import type { QueryResolvers } from "../__generated__/resolvers.ts";

export const Query: QueryResolvers = {
  search: (_, args, { search }) => search.search(args),
  suggest: (_, { prefix, first }, { search }) => search.suggest(prefix, first),
};
