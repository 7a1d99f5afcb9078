/**
 * How a service asks an agent for a run and hears how it ended, without importing the agents
 * subgraph: a job on the agent's queue and, when the request names one, a reply job on the asker's own
 * queue once the run is final. Both sides meet only here, in the wire format: the agent contract's
 * task (goal, input) and result (status, output) plus routing. Both queues are durable (lib/jobs.ts):
 * neither side needs the other to be running when it writes.
 */
import type { JobQueue } from "./jobs.ts";

/** The queue an agent's runs wait in. */
export const agentQueue = (agent: string) => `agent-${agent}`;

/** What a job on an agent's queue carries (its id becomes the run's id). */
export interface AgentJob {
  goal: string;
  input: unknown;
  /** The user who asked; none for the system (a schedule, another service). */
  requestedBy?: string | null;
  /** A queue to send an AgentReply to once the run is final. */
  replyTo?: string;
}

/** Sent to AgentJob.replyTo when a run is final. May arrive more than once: apply it idempotently. */
export interface AgentReply {
  runId: string;
  agent: string;
  status: "SUCCEEDED" | "FAILED" | "CANCELLED";
  output: unknown;
  error: string | null;
}

/**
 * Queues a run of `agent` and returns its id (`runId` when given: a requester that records the run
 * before it can end). pg-boss drops a job for a queue that does not exist
 * yet (the agents runtime creates its queues when it starts, maybe after this service): then the
 * queue is created with defaults here, which the runtime brings to the agent's own settings.
 */
export async function requestAgentRun(jobs: JobQueue, agent: string, job: AgentJob, runId?: string): Promise<string> {
  const name = agentQueue(agent);
  const options = runId ? { id: runId } : {};
  const id = (await jobs.send(name, job as object, options)) ?? (await jobs.createQueue(name), await jobs.send(name, job as object, options));
  if (!id) throw new Error(`the job queue did not take a run of ${agent}`);
  return id;
}

/** Sends a run's end to the queue that asked for it. */
export async function sendAgentReply(jobs: JobQueue, replyTo: string, reply: AgentReply): Promise<void> {
  const id = (await jobs.send(replyTo, reply as object)) ?? (await jobs.createQueue(replyTo), await jobs.send(replyTo, reply as object));
  if (!id) throw new Error(`the job queue did not take a reply for ${replyTo}`);
}
