/**
 * Runs agents from the job queue: one pg-boss queue per agent and one fetch loop per agent, which
 * takes a batch of jobs (as many as the agent has free slots, up to its `concurrency`), claims them in
 * one statement and runs them side by side. A run's row is the truth the API shows; it also makes a
 * run happen at most once to completion: a job delivered again (its worker died after finishing,
 * before pg-boss heard) finds its row final and only replies again. The ends of runs are written in
 * batches (Outbox): the rows made final in one statement (then their events), the replies to
 * requesters in one insert, then the jobs completed — a reply always before its job completes.
 *
 * Its statements are plain SQL through the database's driver (runtime/sql.ts), not Prisma: a worker
 * process then never instantiates Prisma's query compiler (WASM, most of its RSS beyond node itself).
 */
import { setMaxListeners } from "node:events";
import type PgBoss from "pg-boss";
import type { Database } from "../../../lib/db/database.ts";
import type { Config } from "../../../lib/env.ts";
import { agentQueue, sendAgentReply, type AgentJob, type AgentReply } from "../../../lib/agent-requests.ts";
import type { JobQueue } from "../../../lib/jobs.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { AgentRun } from "../../../prisma/generated/client.ts";
import type { AgentEvents } from "../events.ts";
import type { AgentContext, AgentDefinition, AgentResult, LlmProvider } from "./contract.ts";
import type { AgentRegistry } from "./registry.ts";
import { pacerOf, type Pacer } from "./pacing.ts";
import { sqlOf, transactionOf, type Sql } from "./sql.ts";

export interface RunnerSettings {
  pollingIntervalSeconds: number;
  /** A run's lease is its timeout plus this (AGENT_LEASE_MARGIN_SECONDS). */
  leaseMarginSeconds: number;
  /**
   * Runs started per second by this process, by agent name (AGENT_MAX_RUNS_PER_SECOND): overrides the
   * agent's own maxRunsPerSecond; 0 leaves it unpaced.
   */
  maxRunsPerSecond?: Readonly<Record<string, number>>;
  /** How a rate becomes a pacer (tests count what it grants). */
  pacer?: (runsPerSecond: number, agent: string) => Pacer | null;
}

/** The runner's settings from the configuration (worker processes and the in-process runner alike). */
export function runnerSettings(config: Pick<Config, "AGENT_POLLING_INTERVAL_SECONDS" | "AGENT_LEASE_MARGIN_SECONDS" | "AGENT_MAX_RUNS_PER_SECOND">): RunnerSettings {
  return { pollingIntervalSeconds: config.AGENT_POLLING_INTERVAL_SECONDS, leaseMarginSeconds: config.AGENT_LEASE_MARGIN_SECONDS, maxRunsPerSecond: config.AGENT_MAX_RUNS_PER_SECOND };
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
/** A run ends at least this long before its job's lease does (the clocks of worker and database differ a little). */
const LEASE_SAFETY_MS = 5_000;

export class AgentRunner {
  private readonly active = new Map<string, AbortController>();
  private readonly loops: Promise<void>[] = [];
  private readonly outbox: Outbox<Sent>;
  /** Reply queues known to exist: pg-boss's insert drops a job for a queue that does not. */
  private readonly replyQueues = new Set<string>();
  private readonly wake = new AbortController();
  private stopping = false;
  private cancelStream?: AsyncIterableIterator<{ runId: string }>;
  /**
   * Cancel requests for runs this worker does not hold (yet), by when they came: a request can arrive
   * after a claim committed RUNNING and before the claim's answer is back here. Kept a minute.
   */
  private readonly unclaimedCancels = new Map<string, number>();
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
    this.outbox = new Outbox((batch) => this.writeEnds(batch), (error, batch) => this.log.error({ err: error, jobs: batch.length }, "agent runs: ends not written; their jobs run again after their lease"));
    // Every agent's loop sleeps on it at once: more listeners than the default 10 is no leak.
    setMaxListeners(0, this.wake.signal);
  }

  private get sql(): Sql {
    return sqlOf(this.db);
  }

  async start(): Promise<void> {
    this.listenForCancels();
    this.reconciler = setInterval(() => void this.reconcile().catch((error: unknown) => this.log.error({ err: error }, "agent runs: reconcile failed")), RECONCILE_MS);
    this.reconciler.unref();
    for (const name of Object.keys(this.settings.maxRunsPerSecond ?? {})) {
      if (!this.agents.has(name)) this.log.warn({ agent: name }, "AGENT_MAX_RUNS_PER_SECOND names no agent of this process");
    }
    for (const agent of this.agents.values()) {
      await ensureQueue(this.boss, agent, this.settings.leaseMarginSeconds);
      this.loops.push(this.work(agent, this.pacerFor(agent)));
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

  /** The agent's pacing: the configured rate, else the agent's own; none for 0 or neither. */
  private pacerFor(agent: AgentDefinition): Pacer | null {
    const rate = this.settings.maxRunsPerSecond?.[agent.name] ?? agent.maxRunsPerSecond ?? 0;
    return (this.settings.pacer ?? pacerOf)(rate, agent.name);
  }

  /**
   * The agent's fetch loop. While its runs are short it keeps one batch of claimed runs ahead of its
   * slots: when none is waiting it fetches and claims as many jobs as the agent has slots (while those
   * slots are still busy) and starts them as slots free, so a batch of `concurrency` costs one fetch,
   * one claim and (mostly) one write of their ends. An agent whose runs are long fetches only for free
   * slots: a job waiting behind a long run would hold its lease (execute's deadline guards it anyway).
   * When the queue had fewer jobs than asked for it sleeps out the polling interval: one idle poll per
   * agent and interval, not one per slot. A paced agent (runtime/pacing.ts) fetches only the runs its
   * pacer grants, and gives back what the queue did not have: every run it starts was granted.
   */
  private async work(agent: AgentDefinition, pacer: Pacer | null): Promise<void> {
    const name = queueName(agent.name);
    const slots = Math.max(1, agent.concurrency ?? DEFAULTS.concurrency);
    const running = new Set<Promise<void>>();
    const waiting: { job: PgBoss.JobWithMetadata<JobData>; run: AgentRun | null; fetchedAt: number }[] = [];
    /** How long the latest runs took (ms), the newest last; ahead of the slots only while all were short. */
    const durations: number[] = [];
    const shortRuns = () => durations.length > 0 && Math.max(...durations) < (this.settings.leaseMarginSeconds * 1000) / 4;
    const start = (next: (typeof waiting)[number]) => {
      const started = Date.now();
      const delivery: Promise<void> = this.deliver(agent, next.job, next.run, next.fetchedAt).finally(() => {
        running.delete(delivery);
        durations.push(Date.now() - started);
        if (durations.length > 2 * slots) durations.shift();
      });
      running.add(delivery);
    };
    let drained = false;
    while (!this.stopping) {
      while (running.size < slots && waiting.length) start(waiting.shift()!);
      const wanted = shortRuns() ? slots : slots - running.size;
      if (!waiting.length && !drained && wanted > 0) {
        const granted = pacer ? await pacer.take(wanted, this.wake.signal) : wanted;
        if (!granted) continue;
        const jobs = await this.fetch(name, granted);
        const fetchedAt = Date.now();
        drained = jobs.length < granted;
        if (pacer && drained) await pacer.refund(granted - jobs.length);
        if (!jobs.length) continue;
        const runs = await this.claimUnlessSwitchedOff(agent, jobs).catch((error: unknown) => {
          // Nothing started: the jobs are retried once their lease runs out.
          this.log.error({ err: error, agent: agent.name }, "agent runs: claim failed");
          return sleep(this.settings.pollingIntervalSeconds * 1000, this.wake.signal).then(() => null);
        });
        // A job whose row is final already (delivered again) or cancelled starts too: it replies and completes.
        if (runs) waiting.push(...jobs.map((job) => ({ job, run: runs.get(job.id) ?? null, fetchedAt })));
        continue;
      }
      if (!waiting.length && drained) {
        drained = false;
        await sleep(this.settings.pollingIntervalSeconds * 1000, this.wake.signal);
        continue;
      }
      await Promise.race(running);
    }
    // Stopping: the claimed runs not started end at once (CANCELLED, their signal has fired).
    for (const next of waiting.splice(0)) start(next);
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

  /**
   * One delivery of a job: its run's end goes to the outbox (written, replied and completed there), a
   * job whose run was not claimed (final already, or cancelled) only replies and completes; an error
   * for a retry fails the job.
   */
  private async deliver(agent: AgentDefinition, job: PgBoss.JobWithMetadata<JobData>, run: AgentRun | null, fetchedAt: number): Promise<void> {
    const name = queueName(agent.name);
    try {
      const end = run ? await this.execute(agent, run, job.retryCount, job.retryLimit, fetchedAt) : null;
      this.outbox.add({ queue: name, jobId: job.id, end, replyTo: job.data.replyTo ?? null });
    } catch (error) {
      // pg-boss delivers the job again after its retry delay; that delivery replies from the final row.
      await this.boss.fail(name, job.id, { message: publicError(error) }).catch((failure: unknown) => this.log.error({ err: failure, runId: job.id }, "agent run: job not failed"));
    }
  }

  private listenForCancels(): void {
    this.cancelStream = this.events.cancelRequests();
    void (async () => {
      for await (const { runId } of this.cancelStream!) {
        const controller = this.active.get(runId);
        if (controller) controller.abort(new Cancelled("cancelled"));
        else this.unclaimedCancels.set(runId, Date.now());
      }
    })().catch((error: unknown) => this.log.error({ err: error }, "agent cancel requests: stream ended"));
  }

  private forgetOldCancels(): void {
    const before = Date.now() - 60_000;
    for (const [runId, at] of this.unclaimedCancels) if (at < before) this.unclaimedCancels.delete(runId);
  }

  /**
   * Runs whose worker died: pg-boss expires the lease and queues the job again (the row goes back to
   * QUEUED until a worker takes it) or, with no attempt left, fails it — which no worker reports, so
   * the row is failed here. Rows of runs this process holds are left alone.
   */
  async reconcile(): Promise<void> {
    const stale = await this.sql<{ id: string; state: string; replyTo: string | null }>(
      `SELECT r.id, j.state::text AS state, j.data->>'replyTo' AS "replyTo" FROM "AgentRun" r JOIN pgboss.job j ON j.id = r.id
       WHERE r.status = 'RUNNING' AND j.state IN ('retry', 'created', 'failed', 'cancelled', 'completed')`,
    );
    for (const { id, state, replyTo } of stale.filter((s) => !this.active.has(s.id))) {
      if (state === "retry" || state === "created") await this.update(id, ["RUNNING"], { status: "QUEUED", error: "The worker running it stopped; queued again." });
      else {
        await this.update(id, ["RUNNING"], { status: "FAILED", finishedAt: new Date(), error: "The worker running it stopped, and no attempt is left." });
        await this.replyIfFinal(id, replyTo);
      }
    }
  }

  /** Runs a claimed run to its end (to be written). Throwing asks pg-boss for a retry. */
  private async execute(agent: AgentDefinition, run: AgentRun, retryCount: number, retryLimit: number, fetchedAt: number): Promise<End> {
    const id = run.id;
    const controller = this.active.get(id) ?? new AbortController();
    this.active.set(id, controller);
    const timeoutMs = (agent.timeoutSeconds ?? DEFAULTS.timeoutSeconds) * 1000;
    // The job's lease (timeout + margin) runs from its fetch: a run that waited for a slot ends before
    // it, or pg-boss would hand the job to another worker while this one still runs it.
    const leaseLeftMs = fetchedAt + timeoutMs + this.settings.leaseMarginSeconds * 1000 - LEASE_SAFETY_MS - Date.now();
    const timer = setTimeout(() => controller.abort(new TimedOut(`no result within ${agent.timeoutSeconds ?? DEFAULTS.timeoutSeconds} s`)), Math.max(0, Math.min(timeoutMs, leaseLeftMs)));
    try {
      // Cancelled while it waited for a slot, or the worker is stopping.
      controller.signal.throwIfAborted();
      const result = await untilAborted(agent.run({ id, goal: run.goal, input: agent.input.parse(run.input) }, this.context(run, controller.signal)), controller.signal);
      return end(result.status === "success" ? "SUCCEEDED" : "FAILED", { output: result.output, metadata: result.metadata });
    } catch (error) {
      return await this.failed(id, error, retryCount < retryLimit);
    } finally {
      clearTimeout(timer);
      this.active.delete(id);
    }
  }

  private async row(id: string): Promise<AgentRun | null> {
    const [row] = await this.sql<AgentRun>(`SELECT * FROM "AgentRun" WHERE id = $1::uuid`, [id]);
    return row ? asRun(row) : null;
  }

  /** Tells the service that asked for the run (JobData.replyTo) how it ended, once it has. */
  private async replyIfFinal(id: string, replyTo: string | null | undefined): Promise<void> {
    if (!replyTo) return;
    const run = await this.row(id);
    const reply = run && replyOf(run);
    if (reply) await sendAgentReply(this.boss, replyTo, reply);
  }

  /**
   * The claim of the jobs but the scheduled ones of an agent switched off since their schedule queued
   * them (setAgentEnabled(false), or setAgentSchedule(null)): pg-boss's cron queues a run in two steps
   * (its send-it job, then the agent's job) up to a minute after the cron time, and unschedule stops
   * neither. Those run no more: they complete with no row. One read of the setting per batch that holds
   * a scheduled job (never for the moderator's runs, which others ask for).
   */
  private async claimUnlessSwitchedOff(agent: AgentDefinition, jobs: readonly PgBoss.JobWithMetadata<JobData>[]): Promise<Map<string, AgentRun>> {
    const scheduled = jobs.filter(({ data }) => isScheduled(data));
    if (scheduled.length && !(await this.scheduleOn(agent))) {
      this.log.info({ agent: agent.name, jobs: scheduled.length }, "agent runs: scheduled runs of an agent switched off since, not run");
      const skipped = new Set(scheduled.map((job) => job.id));
      jobs = jobs.filter((job) => !skipped.has(job.id));
      if (!jobs.length) return new Map();
    }
    return this.claim(agent, jobs);
  }

  /** Whether the agent runs on a schedule now: enabled, with a cron (an admin's, else its default). */
  private async scheduleOn(agent: AgentDefinition): Promise<boolean> {
    // As text: one answer whatever the driver makes of a boolean.
    const [row] = await this.sql<{ on: string }>(
      `SELECT coalesce((SELECT enabled AND coalesce(schedule, $2::text) <> '' FROM "AgentSetting" WHERE agent = $1::text), $2::text <> '')::text AS "on"`,
      [agent.name, agent.schedule ?? ""],
    );
    return row?.on === "true";
  }

  /**
   * The jobs' rows, RUNNING now, by id — one statement for the whole batch: a scheduled job has no row
   * yet (the schedule asked for it) and gets one; a job whose row is already final (delivered again)
   * or was cancelled is missing from the map.
   */
  private async claim(agent: AgentDefinition, jobs: readonly PgBoss.JobWithMetadata<JobData>[]): Promise<Map<string, AgentRun>> {
    const claimed = jobs.map(({ id, data }) => ({ id, goal: data.goal, input: data.input ?? {}, requestedBy: data.requestedBy ?? null }));
    const rows = await this.sql<AgentRun>(
      `INSERT INTO "AgentRun" (id, agent, goal, input, "requestedBy", status, attempts, "startedAt")
       SELECT j.id, $1::text, j.goal, j.input, j."requestedBy", 'RUNNING', 1, $2::timestamptz
       FROM jsonb_to_recordset($3::jsonb) AS j(id uuid, goal text, input jsonb, "requestedBy" uuid)
       ON CONFLICT (id) DO UPDATE SET status = 'RUNNING', attempts = "AgentRun".attempts + 1, "startedAt" = EXCLUDED."startedAt", error = NULL
       WHERE "AgentRun".status IN ('QUEUED', 'RUNNING')
       RETURNING *`,
      [agent.name, new Date().toISOString(), JSON.stringify(claimed)],
    );
    const runs = rows.map(asRun);
    this.forgetOldCancels();
    for (const run of runs) {
      // Held from now on: a cancel request reaches a run that waits for a slot too.
      const controller = new AbortController();
      if (this.stopping) controller.abort(new Cancelled("the worker is stopping"));
      // Asked for while the claim was on its way back (the row was RUNNING, not yet held here).
      if (this.unclaimedCancels.delete(run.id)) controller.abort(new Cancelled("cancelled"));
      this.active.set(run.id, controller);
    }
    await Promise.all(runs.map((run) => this.published(run)));
    return new Map(runs.map((run) => [run.id, run]));
  }

  private context(run: AgentRun, signal: AbortSignal): AgentContext {
    const log = this.log.child({ agent: run.agent, runId: run.id });
    const database = this.db;
    return {
      log,
      signal,
      // Prisma's client only when a run asks for it (Database.prisma builds it on first use).
      db: {
        get prisma() {
          return database.prisma;
        },
        kind: database.kind,
        sql: this.sql,
        transaction: transactionOf(database),
      },
      ...(this.llm ? { llm: this.llm } : {}),
      progress: async (message) => {
        const line = message.slice(0, 500);
        const [updated] = await this.sql<AgentRun>(
          `UPDATE "AgentRun" SET progress = (progress || $1::text)[greatest(1, cardinality(progress) + 2 - $2::int):]
           WHERE id = $3::uuid AND status = 'RUNNING' RETURNING *`,
          [line, MAX_PROGRESS_LINES, run.id],
        );
        if (updated) await this.published(asRun(updated));
      },
    };
  }

  /** The run's end after an error, or a retry: the row QUEUED again and the error thrown. */
  private async failed(id: string, error: unknown, retrying: boolean): Promise<End> {
    if (error instanceof Cancelled) return end("CANCELLED", { error: error.message });
    this.log.warn({ err: error, runId: id, retrying }, "agent run failed");
    const text = error instanceof TimedOut ? `Timed out: ${error.message}.` : publicError(error);
    if (!retrying) return end("FAILED", { error: text });
    await this.update(id, ["RUNNING"], { status: "QUEUED", error: text });
    throw error;
  }

  /**
   * A batch of ends: the rows still RUNNING made final in one statement (their events published), the
   * replies made of the final rows (read for the runs this batch did not end), then the jobs completed.
   */
  private async writeEnds(batch: readonly Sent[]): Promise<void> {
    const finals = new Map<string, AgentRun>();
    const ends = batch.flatMap(({ jobId, end }) => (end ? [{ id: jobId, ...end }] : []));
    if (ends.length) {
      const rows = await this.sql<AgentRun>(
        `UPDATE "AgentRun" r SET status = e.status::"AgentRunStatus", "finishedAt" = e."finishedAt",
           output = CASE WHEN e.fields ? 'output' THEN e.fields->'output' ELSE r.output END,
           metadata = CASE WHEN e.fields ? 'metadata' THEN e.fields->'metadata' ELSE r.metadata END,
           error = CASE WHEN e.fields ? 'error' THEN e.fields->>'error' ELSE r.error END
         FROM jsonb_to_recordset($1::jsonb) AS e(id uuid, status text, "finishedAt" timestamptz, fields jsonb)
         WHERE r.id = e.id AND r.status = 'RUNNING'
         RETURNING r.*`,
        [JSON.stringify(ends)],
      );
      for (const run of rows.map(asRun)) finals.set(run.id, run);
      await Promise.all([...finals.values()].map((run) => this.published(run)));
    }
    const unread = batch.filter((s) => s.replyTo && !finals.has(s.jobId)).map((s) => s.jobId);
    if (unread.length) for (const run of await this.sql<AgentRun>(`SELECT * FROM "AgentRun" WHERE id = ANY($1::uuid[])`, [unread])) finals.set(run.id, asRun(run));
    const replies = batch.flatMap(({ jobId, replyTo }) => {
      const run = replyTo ? finals.get(jobId) : undefined;
      const reply = run && replyOf(run);
      return reply && replyTo ? [{ replyTo, reply }] : [];
    });
    for (const replyTo of new Set(replies.map((r) => r.replyTo))) {
      if (this.replyQueues.has(replyTo)) continue;
      await this.boss.createQueue(replyTo);
      this.replyQueues.add(replyTo);
    }
    if (replies.length) await this.boss.insert(replies.map(({ replyTo, reply }) => ({ name: replyTo, data: reply as object })));
    const byQueue = new Map<string, string[]>();
    for (const { queue, jobId } of batch) byQueue.set(queue, [...(byQueue.get(queue) ?? []), jobId]);
    await Promise.all([...byQueue].map(([queue, ids]) => this.boss.complete(queue, ids)));
  }

  private async update(id: string, from: AgentRun["status"][], data: { status: AgentRun["status"]; error: string; finishedAt?: Date }): Promise<AgentRun | null> {
    // One statement: the row as the update left it is what subscribers are sent (and the reply is made of).
    const [run] = await this.sql<AgentRun>(
      `UPDATE "AgentRun" SET status = $2::"AgentRunStatus", error = $3::text, "finishedAt" = coalesce($4::timestamptz, "finishedAt")
       WHERE id = $1::uuid AND status = ANY($5::text[]::"AgentRunStatus"[]) RETURNING *`,
      [id, data.status, data.error, data.finishedAt?.toISOString() ?? null, from],
    );
    return run ? this.published(asRun(run)) : null;
  }

  private async published(run: AgentRun): Promise<AgentRun> {
    await this.events.runChanged(run);
    return run;
  }
}

const FINAL: readonly AgentRun["status"][] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** A job a schedule queued (AgentsService.applySchedule's data): nobody asked for it, nobody waits for it. */
export function isScheduled(data: JobData): boolean {
  return data.goal === SCHEDULED_GOAL && !data.requestedBy && !data.replyTo;
}

/** The goal of a scheduled run. */
export const SCHEDULED_GOAL = "scheduled";

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

/** What a delivery leaves to write: the run's end (none when it was not claimed) and whom to tell. */
interface Sent {
  queue: string;
  jobId: string;
  end: End | null;
  replyTo: string | null;
}

/** A run's end as the batch writes it: fields absent stay as they are, JSON null is written as such. */
interface End {
  status: "SUCCEEDED" | "FAILED" | "CANCELLED";
  finishedAt: Date;
  fields: { output?: unknown; metadata?: unknown; error?: string };
}

function end(status: End["status"], result: { output?: unknown; metadata?: unknown; error?: string }): End {
  const fields: End["fields"] = {};
  if (result.output !== undefined) fields.output = result.output ?? null;
  if (result.metadata !== undefined) fields.metadata = result.metadata ?? null;
  if (result.error !== undefined) fields.error = result.error;
  return { status, finishedAt: new Date(), fields };
}

/** A row of "AgentRun" read by raw SQL, as Prisma's client types it (the same columns). */
function asRun(row: AgentRun): AgentRun {
  const date = (value: Date | string | null) => (value === null || value instanceof Date ? value : new Date(value));
  return { ...row, createdAt: date(row.createdAt)!, startedAt: date(row.startedAt), finishedAt: date(row.finishedAt) };
}

/**
 * Work written in batches: what is added while a batch is being written goes into the next one, so the
 * batches grow with the load and a lone item waits one turn of the event loop. A batch that fails is
 * reported and dropped (the runner's jobs then stay active, and pg-boss delivers them again).
 */
export class Outbox<T> {
  private pending: T[] = [];
  private flushing?: Promise<void>;

  constructor(
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly failed: (error: unknown, batch: T[]) => void,
  ) {}

  add(item: T): void {
    this.pending.push(item);
    this.flushing ??= this.flushAll();
  }

  /** Resolves once everything added so far is written (or given up). */
  async drained(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushAll(): Promise<void> {
    // Let the items added in the same turn join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      await this.write(batch).catch((error: unknown) => this.failed(error, batch));
    }
    this.flushing = undefined;
  }
}
