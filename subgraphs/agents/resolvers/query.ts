import type { QueryResolvers } from "../__generated__/resolvers.ts";

// @requiresScopes(admin) in the SDL: only admins reach the agents' fields.
export const Query: QueryResolvers = {
  agents: (_, __, { agents }) => agents.list(),
  databaseHealth: (_, __, { agents }) => agents.databaseHealth(),
  agentRun: (_, { id }, { agents }) => agents.find(id),
  agentRuns: (_, { filter, first, after }, { agents }) => agents.runs(filter ?? {}, { first, after }),
  // @authenticated: any signed-in user (a seller writing a listing).
  suggestCategory: (_, { title, description }, { suggestions }) => suggestions.suggestCategory(title, description),
  suggestPrice: (_, args, { suggestions }) => suggestions.suggestPrice(args),
};
