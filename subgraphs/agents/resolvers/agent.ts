import type { AgentResolvers, AgentRunResolvers, DatabaseHealthReportResolvers } from "../__generated__/resolvers.ts";
import { effectiveSchedule, inputSchema } from "../agents.service.ts";

export const Agent: AgentResolvers = {
  name: ({ definition }) => definition.name,
  description: ({ definition }) => definition.description,
  inputSchema: ({ definition }) => inputSchema(definition),
  schedule: (view) => effectiveSchedule(view),
  enabled: ({ setting }) => setting?.enabled ?? true,
  health: ({ definition }, _, { agents, agentDeps }) => agents.health(definition, agentDeps),
  lastRun: ({ definition }, _, { loaders }) => loaders.lastRun.load(definition.name),
  runCounts: async ({ definition }, _, { loaders }) => (await loaders.figures.load(definition.name)).counts,
  p95DurationMs: async ({ definition }, _, { loaders }) => (await loaders.figures.load(definition.name)).p95DurationMs,
};

export const AgentRun: AgentRunResolvers = {
  requestedBy: (run) => (run.requestedBy ? { id: run.requestedBy } : null),
  durationMs: (run) => (run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null),
};

interface HealthOutput {
  generatedAt?: string;
  findings?: { severity: string; kind: string; target: string; detail: string; recommendation: string }[];
}

/** A taita run's output, as the schema types its parts. */
export const DatabaseHealthReport: DatabaseHealthReportResolvers = {
  run: (run) => run,
  generatedAt: (run) => (run.output as HealthOutput | null)?.generatedAt ?? run.finishedAt ?? run.createdAt,
  findings: (run) => (run.output as HealthOutput | null)?.findings ?? [],
  report: (run) => run.output ?? {},
};
