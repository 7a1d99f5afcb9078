import type { QueryResolvers } from "../__generated__/resolvers.ts";

export const Query: QueryResolvers = {
  me: (_, __, { viewer, loaders }) => loaders.user.load(viewer!.userId),
  user: (_, { id }, { loaders }) => loaders.profile.load(id),
  mySessions: (_, __, { users, viewer }) => users.sessions(viewer!),
};
