/**
 * Runs agents from the job queue: one pg-boss queue per agent, `concurrency` pollers each taking one
 * job at a time. A run's row is the truth the API shows; it also makes a run happen at most once to
 * completion: a job delivered again (its worker died after finishing, before pg-boss heard) finds its
 * row final and does nothing.
 */
import type { PrismaClient } from "../../../lib/db/database.ts";
import type { Database } from "../../../lib/db/database.ts";
import { agentQueue, sendAgentReply, type AgentJob, type AgentReply } from "../../../lib/agent-requests.ts";
import type { JobQueue } from "../../../lib/jobs.ts";
import type { Logger } from "../../../lib/logger.ts";
import { Prisma, type AgentRun } from "../../../prisma/generated/client.ts";
import type { AgentEvents } from "../events.ts";
import type { AgentContext, AgentDefinition, AgentResult, LlmProvider } from "./contract.ts";
import type { AgentRegistry } from "./registry.ts";

export interface RunnerSettings {
  pollingIntervalSeconds: number;
  /** A run's lease is its timeout plus this (AGENT_LEASE_MARGIN_SECONDS). */
  leaseMarginSeconds: number;
}

/** What a job carries: the task but its id (the job's own), and where to send its end. */
export type JobData = AgentJob;

export const DEFAULTS = { timeoutSeconds: 60, retries: 2, concurrency: 2 };
const MAX_PROGRESS_LINES = 50;

export const queueName = agentQueue;

export function queueOptions(agent: AgentDefinition, leaseMarginSeconds: number) {
  const timeout = agent.timeoutSeconds ?? DEFAULTS.timeoutSeconds;
  // The lease outlives the run's own timeout: pg-boss retries a job only when its worker went silent.
  return { retryLimit: agent.retries ?? DEFAULTS.retries, retryDelay: 2, retryBackoff: true, expireInSeconds: timeout + leaseMarginSeconds };
}

/**
 * The agent's queue with the agent's settings. Updated as well as created: another service may have
 * created it with defaults (lib/agent-requests.ts), and the jobs it sends carry no options of their own.
 */
export async function ensureQueue(boss: JobQueue, agent: AgentDefinition, leaseMarginSeconds: number): Promise<void> {
  const name = queueName(agent.name);
  await boss.createQueue(name, { name, ...queueOptions(agent, leaseMarginSeconds) });
  await boss.updateQueue(name, { name, ...queueOptions(agent, leaseMarginSeconds) });
}

class Cancelled extends Error {}
class TimedOut extends Error {}

/** How often a worker squares runs with their jobs (pg-boss expires a dead worker's lease every 30 s). */
const RECONCILE_MS = 15_000;

export class AgentRunner {
  private readonly active = new Map<string, AbortController>();
  private cancelStream?: AsyncIterableIterator<{ runId: string }>;
  private reconciler?: NodeJS.Timeout;

  constructor(
    private readonly boss: JobQueue,
    private readonly db: Database,
    private readonly agents: AgentRegistry,
    private readonly events: AgentEvents,
    private readonly log: Logger,
    private readonly settings: RunnerSettings,
    private readonly llm?: LlmProvider,
  ) {}

  private get prisma(): PrismaClient {
    return this.db.prisma;
  }

  async start(): Promise<void> {
    this.listenForCancels();
    this.reconciler = setInterval(() => void this.reconcile().catch((error: unknown) => this.log.error({ err: error }, "agent runs: reconcile failed")), RECONCILE_MS);
    this.reconciler.unref();
    for (const agent of this.agents.values()) {
      const name = queueName(agent.name);
      await ensureQueue(this.boss, agent, this.settings.leaseMarginSeconds);
      const options = { batchSize: 1, includeMetadata: true as const, pollingIntervalSeconds: this.settings.pollingIntervalSeconds };
      for (let i = 0; i < (agent.concurrency ?? DEFAULTS.concurrency); i++) {
        const slot: string = await this.boss.work<JobData>(name, options, async ([job]) => {
          await this.execute(agent, job!.id, job!.data, job!.retryCount, job!.retryLimit);
          // pg-boss sleeps out the polling interval after every fetch, even one that found a job: a slot
          // would work at most one run per interval (bench:agents: 4 slots, 1 s → 3.5 runs/s). One that
          // found work asks again at once; an idle one still polls at the interval.
          this.boss.notifyWorker(slot);
        });
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.reconciler);
    await this.cancelStream?.return?.();
    for (const controller of this.active.values()) controller.abort(new Cancelled("the worker is stopping"));
  }

  private listenForCancels(): void {
    this.cancelStream = this.events.cancelRequests();
    void (async () => {
      for await (const { runId } of this.cancelStream!) this.active.get(runId)?.abort(new Cancelled("cancelled"));
    })().catch((error: unknown) => this.log.error({ err: error }, "agent cancel requests: stream ended"));
  }

  /**
   * Runs whose worker died: pg-boss expires the lease and queues the job again (the row goes back to
   * QUEUED until a worker takes it) or, with no attempt left, fails it — which no worker reports, so
   * the row is failed here. Rows of runs this process holds are left alone.
   */
  async reconcile(): Promise<void> {
    const stale = await this.prisma.$queryRaw<{ id: string; state: string; replyTo: string | null }[]>`
      SELECT r.id, j.state, j.data->>'replyTo' AS "replyTo" FROM "AgentRun" r JOIN pgboss.job j ON j.id = r.id
      WHERE r.status = 'RUNNING' AND j.state IN ('retry', 'created', 'failed', 'cancelled', 'completed')`;
    for (const { id, state, replyTo } of stale.filter((s) => !this.active.has(s.id))) {
      if (state === "retry" || state === "created") await this.update(id, ["RUNNING"], { status: "QUEUED", error: "The worker running it stopped; queued again." });
      else {
        await this.update(id, ["RUNNING"], { status: "FAILED", finishedAt: new Date(), error: "The worker running it stopped, and no attempt is left." });
        await this.replyIfFinal(id, replyTo);
      }
    }
  }

  /** One delivery of a job. Throwing asks pg-boss for a retry; returning completes the job. */
  private async execute(agent: AgentDefinition, id: string, data: JobData, retryCount: number, retryLimit: number): Promise<void> {
    const run = await this.claim(agent, id, data);
    if (!run) return this.replyIfFinal(id, data.replyTo);
    const controller = new AbortController();
    this.active.set(id, controller);
    const timer = setTimeout(() => controller.abort(new TimedOut(`no result within ${agent.timeoutSeconds ?? DEFAULTS.timeoutSeconds} s`)), (agent.timeoutSeconds ?? DEFAULTS.timeoutSeconds) * 1000);
    try {
      const result = await untilAborted(agent.run({ id, goal: run.goal, input: agent.input.parse(run.input) }, this.context(run, controller.signal)), controller.signal);
      await this.finish(id, result.status === "success" ? "SUCCEEDED" : "FAILED", { output: result.output, metadata: result.metadata });
    } catch (error) {
      await this.failed(id, error, retryCount < retryLimit);
    } finally {
      clearTimeout(timer);
      this.active.delete(id);
    }
    // Throwing here makes pg-boss deliver the job again, and the delivery replies from the final row.
    await this.replyIfFinal(id, data.replyTo);
  }

  /** Tells the service that asked for the run (JobData.replyTo) how it ended, once it has. */
  private async replyIfFinal(id: string, replyTo: string | null | undefined): Promise<void> {
    if (!replyTo) return;
    const run = await this.prisma.agentRun.findUnique({ where: { id } });
    const reply = run && replyOf(run);
    if (reply) await sendAgentReply(this.boss, replyTo, reply);
  }

  /** The run's row, RUNNING now; null when it is already final (delivered again) or was cancelled. */
  private async claim(agent: AgentDefinition, id: string, data: JobData): Promise<AgentRun | null> {
    // A scheduled job has no row yet: the schedule asked for it.
    await this.prisma.agentRun.createMany({
      data: [{ id, agent: agent.name, goal: data.goal, input: (data.input ?? {}) as Prisma.InputJsonValue, requestedBy: data.requestedBy ?? null }],
      skipDuplicates: true,
    });
    const [run] = await this.prisma.agentRun.updateManyAndReturn({
      where: { id, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "RUNNING", attempts: { increment: 1 }, startedAt: new Date(), error: null },
    });
    return run ? this.published(run) : null;
  }

  private context(run: AgentRun, signal: AbortSignal): AgentContext {
    const log = this.log.child({ agent: run.agent, runId: run.id });
    return {
      log,
      signal,
      db: { prisma: this.prisma, kind: this.db.kind },
      ...(this.llm ? { llm: this.llm } : {}),
      progress: async (message) => {
        const line = message.slice(0, 500);
        const updated = await this.prisma.$queryRaw<{ id: string }[]>`
          UPDATE "AgentRun" SET progress = (progress || ${line}::text)[greatest(1, cardinality(progress) + 2 - ${MAX_PROGRESS_LINES}):]
          WHERE id = ${run.id}::uuid AND status = 'RUNNING' RETURNING id`;
        if (updated.length) await this.published(await this.prisma.agentRun.findUniqueOrThrow({ where: { id: run.id } }));
      },
    };
  }

  private async failed(id: string, error: unknown, retrying: boolean): Promise<void> {
    if (error instanceof Cancelled) {
      await this.finish(id, "CANCELLED", { error: error.message });
      return;
    }
    this.log.warn({ err: error, runId: id, retrying }, "agent run failed");
    const text = error instanceof TimedOut ? `Timed out: ${error.message}.` : publicError(error);
    if (!retrying) {
      await this.finish(id, "FAILED", { error: text });
      return;
    }
    await this.update(id, ["RUNNING"], { status: "QUEUED", error: text });
    throw error;
  }

  private finish(id: string, status: "SUCCEEDED" | "FAILED" | "CANCELLED", result: { output?: unknown; metadata?: unknown; error?: string }) {
    return this.update(id, ["RUNNING"], {
      status,
      finishedAt: new Date(),
      ...(result.output !== undefined ? { output: json(result.output) } : {}),
      ...(result.metadata !== undefined ? { metadata: json(result.metadata) } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
    });
  }

  private async update(id: string, from: AgentRun["status"][], data: Prisma.AgentRunUpdateManyMutationInput): Promise<void> {
    // One statement: the row as the update left it is what subscribers are sent.
    const [run] = await this.prisma.agentRun.updateManyAndReturn({ where: { id, status: { in: from } }, data });
    if (run) await this.published(run);
  }

  private async published(run: AgentRun): Promise<AgentRun> {
    await this.events.runChanged(run);
    return run;
  }
}

const FINAL: readonly AgentRun["status"][] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** What the service that asked for a run hears once the run is final (lib/agent-requests.ts); null before. */
export function replyOf(run: AgentRun): AgentReply | null {
  if (!FINAL.includes(run.status)) return null;
  return { runId: run.id, agent: run.agent, status: run.status as AgentReply["status"], output: run.output ?? null, error: run.error };
}

/** The agent's promise, or the abort's reason as soon as the signal fires (an agent may not listen). */
function untilAborted(work: Promise<AgentResult>, signal: AbortSignal): Promise<AgentResult> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** What an admin may read of an agent's exception: its message, no stack, bounded. */
function publicError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 1_000);
}

function json(value: unknown): Prisma.InputJsonValue {
  return (value ?? Prisma.JsonNull) as Prisma.InputJsonValue;
}
