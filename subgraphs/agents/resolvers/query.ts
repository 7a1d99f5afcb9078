import type { QueryResolvers } from "../__generated__/resolvers.ts";

// @requiresScopes(admin) in the SDL: only admins reach these.
export const Query: QueryResolvers = {
  agents: (_, __, { agents }) => agents.list(),
  databaseHealth: (_, __, { agents }) => agents.databaseHealth(),
  agentRun: (_, { id }, { agents }) => agents.find(id),
  agentRuns: (_, { filter, first, after }, { agents }) => agents.runs(filter ?? {}, { first, after }),
};
