import type { MutationResolvers } from "../__generated__/resolvers.ts";

// @requiresScopes(admin) in the SDL: only admins reach these.
export const Mutation: MutationResolvers = {
  runAgent: (_, { agent, goal, input }, { agents, viewer }) => agents.run(viewer, agent, goal, input),
  cancelAgentRun: (_, { id }, { agents }) => agents.cancel(id),
  retryAgentRun: (_, { id }, { agents, viewer }) => agents.retry(viewer, id),
  setAgentEnabled: (_, { agent, enabled }, { agents }) => agents.setEnabled(agent, enabled),
  setAgentSchedule: (_, { agent, schedule }, { agents }) => agents.setSchedule(agent, schedule),
};
