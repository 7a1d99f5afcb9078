/**
 * Live runs on the deployment's pub/sub: every change of a run is published once, on the all-agents
 * channel, and a subscription to one run or one agent keeps the events that are about it. Publishing
 * on three channels (the run's, its agent's, all) cost a burst of moderation runs 6 PUBLISH and 6
 * serialisations per run in the worker; the watchers are a few admins, for whom filtering is nothing.
 * Cancellation requests travel the same pub/sub to whichever worker process holds the run.
 */
import type { Logger } from "../../lib/logger.ts";
import type { PubSub } from "../../lib/pubsub.ts";
import type { AgentRun } from "../../prisma/generated/client.ts";

export const channels = {
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
      await this.pubsub.publish(channels.all, run);
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
    const events = this.pubsub.subscribe<RunEvent>(channels.all);
    if (runId) return only(events, (e) => e.id === runId);
    if (agent) return only(events, (e) => e.agent === agent);
    return events;
  }
}

/** The events `keep` accepts; return() (a client leaving) reaches the subscription underneath. */
function only<T>(events: AsyncIterableIterator<T>, keep: (event: T) => boolean): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const step = await events.next();
        if (step.done || keep(step.value)) return step;
      }
    },
    return: (value?: unknown) => events.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
    throw: (error?: unknown) => events.throw?.(error) ?? Promise.reject(error),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

export function hydrateRun(event: RunEvent): AgentRun {
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return { ...event, createdAt: new Date(event.createdAt), startedAt: date(event.startedAt), finishedAt: date(event.finishedAt) };
}
