/**
 * Live runs on the deployment's pub/sub: every change of a run goes to the run's channel, its agent's,
 * and the all-agents channel (admins watching one run, one agent or everything). Cancellation requests
 * travel the same way to whichever worker process holds the run.
 */
import type { Logger } from "../../lib/logger.ts";
import type { PubSub } from "../../lib/pubsub.ts";
import type { AgentRun } from "../../prisma/generated/client.ts";

export const channels = {
  run: (id: string) => `agents:run:${id}`,
  agent: (name: string) => `agents:agent:${name}`,
  all: "agents:all",
  cancel: "agents:cancel",
};

/** A run as JSON carries it (dates as ISO strings). */
export type RunEvent = Omit<AgentRun, "createdAt" | "startedAt" | "finishedAt"> & { createdAt: string; startedAt: string | null; finishedAt: string | null };

export class AgentEvents {
  constructor(
    private readonly pubsub: PubSub,
    private readonly log: Logger,
  ) {}

  async runChanged(run: AgentRun): Promise<void> {
    try {
      await Promise.all([channels.run(run.id), channels.agent(run.agent), channels.all].map((c) => this.pubsub.publish(c, run)));
    } catch (error) {
      // The row is written: a watcher misses a step, agentRun still shows it.
      this.log.error({ err: error, runId: run.id }, "agent run event not published");
    }
  }

  requestCancel(runId: string): Promise<void> {
    return this.pubsub.publish(channels.cancel, { runId });
  }

  cancelRequests(): AsyncIterableIterator<{ runId: string }> {
    return this.pubsub.subscribe(channels.cancel);
  }

  runEvents(runId: string | null, agent: string | null): AsyncIterableIterator<RunEvent> {
    return this.pubsub.subscribe(runId ? channels.run(runId) : agent ? channels.agent(agent) : channels.all);
  }
}

export function hydrateRun(event: RunEvent): AgentRun {
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return { ...event, createdAt: new Date(event.createdAt), startedAt: date(event.startedAt), finishedAt: date(event.finishedAt) };
}
