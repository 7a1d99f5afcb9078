/**
 * Runs agents from the job queue: one pg-boss queue per agent and one fetch loop per agent, which
 * takes a batch of jobs (as many as the agent has free slots, up to its `concurrency`), claims them in
 * one statement and runs them side by side. A run's row is the truth the API shows; it also makes a
 * run happen at most once to completion: a job delivered again (its worker died after finishing,
 * before pg-boss heard) finds its row final and only replies again. Ends are written per run (the
 * row, then its event); the replies to requesters and the jobs' completions go out in batches
 * (Outbox), the reply always before its job completes.
 */
import { setMaxListeners } from "node:events";
import type PgBoss from "pg-boss";
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
  private readonly loops: Promise<void>[] = [];
  private readonly outbox: Outbox;
  private readonly wake = new AbortController();
  private stopping = false;
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
  ) {
    this.outbox = new Outbox(boss, log);
    // Every agent's loop sleeps on it at once: more listeners than the default 10 is no leak.
    setMaxListeners(0, this.wake.signal);
  }

  private get prisma(): PrismaClient {
    return this.db.prisma;
  }

  async start(): Promise<void> {
    this.listenForCancels();
    this.reconciler = setInterval(() => void this.reconcile().catch((error: unknown) => this.log.error({ err: error }, "agent runs: reconcile failed")), RECONCILE_MS);
    this.reconciler.unref();
    for (const agent of this.agents.values()) {
      await ensureQueue(this.boss, agent, this.settings.leaseMarginSeconds);
      this.loops.push(this.work(agent));
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    clearInterval(this.reconciler);
    await this.cancelStream?.return?.();
    for (const controller of this.active.values()) controller.abort(new Cancelled("the worker is stopping"));
    // The runs end (CANCELLED), their replies and completions are written: then the queue may close.
    await Promise.allSettled(this.loops);
    await this.outbox.drained();
  }

  /**
   * The agent's fetch loop. It fetches when at least half of the agent's slots are free (a batch, not
   * one fetch per freed slot) and, when the queue had fewer jobs than it asked for, sleeps out the
   * polling interval: one idle poll per agent and interval, not one per slot.
   */
  private async work(agent: AgentDefinition): Promise<void> {
    const name = queueName(agent.name);
    const slots = Math.max(1, agent.concurrency ?? DEFAULTS.concurrency);
    const refill = Math.ceil(slots / 2);
    const running = new Set<Promise<void>>();
    let drained = false;
    while (!this.stopping) {
      if (drained) {
        drained = false;
        await sleep(this.settings.pollingIntervalSeconds * 1000, this.wake.signal);
        continue;
      }
      if (slots - running.size < refill) {
        await Promise.race(running);
        continue;
      }
      const free = slots - running.size;
      const jobs = await this.fetch(name, free);
      drained = jobs.length < free;
      if (!jobs.length) continue;
      const runs = await this.claim(agent, jobs).catch((error: unknown) => {
        // Nothing started: the jobs are retried once their lease runs out.
        this.log.error({ err: error, agent: agent.name }, "agent runs: claim failed");
        return null;
      });
      if (!runs) continue;
      for (const job of jobs) {
        const delivery: Promise<void> = this.deliver(agent, job, runs.get(job.id) ?? null).finally(() => running.delete(delivery));
        running.add(delivery);
      }
    }
    await Promise.allSettled(running);
  }

  private async fetch(name: string, batchSize: number): Promise<PgBoss.JobWithMetadata<JobData>[]> {
    try {
      return await this.boss.fetch<JobData>(name, { batchSize, includeMetadata: true });
    } catch (error) {
      this.log.error({ err: error, queue: name }, "agent runs: fetch failed");
      await sleep(this.settings.pollingIntervalSeconds * 1000, this.wake.signal);
      return [];
    }
  }

  /** One delivery of a job: completed (after its reply) once the run is final, failed for a retry. */
  private async deliver(agent: AgentDefinition, job: PgBoss.JobWithMetadata<JobData>, run: AgentRun | null): Promise<void> {
    const name = queueName(agent.name);
    try {
      const final = run ? await this.execute(agent, run, job.retryCount, job.retryLimit) : await this.prisma.agentRun.findUnique({ where: { id: job.id } });
      const reply = final && job.data.replyTo ? replyOf(final) : null;
      this.outbox.add(name, job.id, reply && job.data.replyTo ? { replyTo: job.data.replyTo, reply } : undefined);
    } catch (error) {
      // pg-boss delivers the job again after its retry delay; that delivery replies from the final row.
      await this.boss.fail(name, job.id, { message: publicError(error) }).catch((failure: unknown) => this.log.error({ err: failure, runId: job.id }, "agent run: job not failed"));
    }
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

  /** Runs a claimed run to its end; its final row. Throwing asks pg-boss for a retry. */
  private async execute(agent: AgentDefinition, run: AgentRun, retryCount: number, retryLimit: number): Promise<AgentRun | null> {
    const id = run.id;
    const controller = new AbortController();
    this.active.set(id, controller);
    const timer = setTimeout(() => controller.abort(new TimedOut(`no result within ${agent.timeoutSeconds ?? DEFAULTS.timeoutSeconds} s`)), (agent.timeoutSeconds ?? DEFAULTS.timeoutSeconds) * 1000);
    try {
      const result = await untilAborted(agent.run({ id, goal: run.goal, input: agent.input.parse(run.input) }, this.context(run, controller.signal)), controller.signal);
      return (await this.finish(id, result.status === "success" ? "SUCCEEDED" : "FAILED", { output: result.output, metadata: result.metadata })) ?? (await this.row(id));
    } catch (error) {
      return (await this.failed(id, error, retryCount < retryLimit)) ?? (await this.row(id));
    } finally {
      clearTimeout(timer);
      this.active.delete(id);
    }
  }

  private row(id: string): Promise<AgentRun | null> {
    return this.prisma.agentRun.findUnique({ where: { id } });
  }

  /** Tells the service that asked for the run (JobData.replyTo) how it ended, once it has. */
  private async replyIfFinal(id: string, replyTo: string | null | undefined): Promise<void> {
    if (!replyTo) return;
    const run = await this.row(id);
    const reply = run && replyOf(run);
    if (reply) await sendAgentReply(this.boss, replyTo, reply);
  }

  /**
   * The jobs' rows, RUNNING now, by id — two statements for the whole batch; a job whose row is already
   * final (delivered again) or was cancelled is missing from the map.
   */
  private async claim(agent: AgentDefinition, jobs: readonly PgBoss.JobWithMetadata<JobData>[]): Promise<Map<string, AgentRun>> {
    // A scheduled job has no row yet: the schedule asked for it.
    await this.prisma.agentRun.createMany({
      data: jobs.map(({ id, data }) => ({ id, agent: agent.name, goal: data.goal, input: (data.input ?? {}) as Prisma.InputJsonValue, requestedBy: data.requestedBy ?? null })),
      skipDuplicates: true,
    });
    const runs = await this.prisma.agentRun.updateManyAndReturn({
      where: { id: { in: jobs.map((j) => j.id) }, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "RUNNING", attempts: { increment: 1 }, startedAt: new Date(), error: null },
    });
    await Promise.all(runs.map((run) => this.published(run)));
    return new Map(runs.map((run) => [run.id, run]));
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

  /** The run's end after an error (its final row), or a retry: the row QUEUED again and the error thrown. */
  private async failed(id: string, error: unknown, retrying: boolean): Promise<AgentRun | null> {
    if (error instanceof Cancelled) return this.finish(id, "CANCELLED", { error: error.message });
    this.log.warn({ err: error, runId: id, retrying }, "agent run failed");
    const text = error instanceof TimedOut ? `Timed out: ${error.message}.` : publicError(error);
    if (!retrying) return this.finish(id, "FAILED", { error: text });
    await this.update(id, ["RUNNING"], { status: "QUEUED", error: text });
    throw error;
  }

  /** The row made final, as written; null when it was no longer RUNNING. */
  private finish(id: string, status: "SUCCEEDED" | "FAILED" | "CANCELLED", result: { output?: unknown; metadata?: unknown; error?: string }): Promise<AgentRun | null> {
    return this.update(id, ["RUNNING"], {
      status,
      finishedAt: new Date(),
      ...(result.output !== undefined ? { output: json(result.output) } : {}),
      ...(result.metadata !== undefined ? { metadata: json(result.metadata) } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
    });
  }

  private async update(id: string, from: AgentRun["status"][], data: Prisma.AgentRunUpdateManyMutationInput): Promise<AgentRun | null> {
    // One statement: the row as the update left it is what subscribers are sent (and the reply is made of).
    const [run] = await this.prisma.agentRun.updateManyAndReturn({ where: { id, status: { in: from } }, data });
    return run ? this.published(run) : null;
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

/** Resolves after `ms`, or at once when the signal fires (the runner stopping). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

interface Sent {
  queue: string;
  jobId: string;
  reply?: { replyTo: string; reply: AgentReply };
}

/**
 * Final runs' replies and their jobs' completions, written in batches: what ends while a batch is being
 * written goes into the next one (one insert of replies, one complete per queue). A reply is written
 * before its job completes: a worker that dies in between leaves the job to be delivered again, and
 * that delivery replies again (replies are idempotent). A batch that fails leaves its jobs active: pg-boss
 * delivers them again when their lease runs out.
 */
export class Outbox {
  private pending: Sent[] = [];
  private flushing?: Promise<void>;
  /** Reply queues known to exist: pg-boss's insert drops a job for a queue that does not. */
  private readonly queues = new Set<string>();

  constructor(
    private readonly boss: JobQueue,
    private readonly log: Logger,
  ) {}

  add(queue: string, jobId: string, reply?: { replyTo: string; reply: AgentReply }): void {
    this.pending.push({ queue, jobId, ...(reply ? { reply } : {}) });
    this.flushing ??= this.flushAll();
  }

  /** Resolves once everything added so far is written (or given up). */
  async drained(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushAll(): Promise<void> {
    // Let the runs ending in the same turn join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      await this.flush(batch).catch((error: unknown) => this.log.error({ err: error, jobs: batch.length }, "agent runs: replies and completions not written; the jobs run again after their lease"));
    }
    this.flushing = undefined;
  }

  private async flush(batch: Sent[]): Promise<void> {
    const replies = batch.flatMap((s) => (s.reply ? [s.reply] : []));
    for (const replyTo of new Set(replies.map((r) => r.replyTo))) {
      if (this.queues.has(replyTo)) continue;
      await this.boss.createQueue(replyTo);
      this.queues.add(replyTo);
    }
    if (replies.length) await this.boss.insert(replies.map(({ replyTo, reply }) => ({ name: replyTo, data: reply as object })));
    const byQueue = new Map<string, string[]>();
    for (const { queue, jobId } of batch) byQueue.set(queue, [...(byQueue.get(queue) ?? []), jobId]);
    await Promise.all([...byQueue].map(([queue, ids]) => this.boss.complete(queue, ids)));
  }
}
