import DataLoader from "dataloader";
import type { PrismaClient } from "../../lib/db/database.ts";
import type { AgentRun } from "../../prisma/generated/client.ts";

export interface AgentFigures {
  counts: { queued: number; running: number; succeeded: number; failed: number; cancelled: number };
  p95DurationMs: number | null;
}

const NONE: AgentFigures = { counts: { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 }, p95DurationMs: null };

/** Per-request loaders: the agents list costs two statements whatever the number of agents. */
export function createLoaders(prisma: PrismaClient) {
  return {
    lastRun: new DataLoader<string, AgentRun | null>(async (agents) => {
      const rows = await prisma.agentRun.findMany({ where: { agent: { in: [...agents] } }, distinct: ["agent"], orderBy: [{ agent: "asc" }, { createdAt: "desc" }] });
      const byAgent = new Map(rows.map((r) => [r.agent, r]));
      return agents.map((a) => byAgent.get(a) ?? null);
    }),

    /** Counts by status and the p95 duration: raw SQL for the percentile, which Prisma has no API for. */
    figures: new DataLoader<string, AgentFigures>(async (agents) => {
      const rows = await prisma.$queryRaw<(AgentFigures["counts"] & { agent: string; p95: number | null })[]>`
        SELECT agent,
          count(*) FILTER (WHERE status = 'QUEUED')::int AS queued,
          count(*) FILTER (WHERE status = 'RUNNING')::int AS running,
          count(*) FILTER (WHERE status = 'SUCCEEDED')::int AS succeeded,
          count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
          count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled,
          (percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM "finishedAt" - "startedAt") * 1000)
            FILTER (WHERE status = 'SUCCEEDED' AND "finishedAt" > now() - interval '7 days'))::float8 AS p95
        FROM "AgentRun" WHERE agent = ANY(${[...agents]}::text[]) GROUP BY agent`;
      const byAgent = new Map(rows.map(({ agent, p95, ...counts }) => [agent, { counts, p95DurationMs: p95 }]));
      return agents.map((a) => byAgent.get(a) ?? NONE);
    }),
  };
}

export type AgentsLoaders = ReturnType<typeof createLoaders>;
