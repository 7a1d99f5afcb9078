/**
 * Agents as admins see and drive them: the registry's agents with their settings and figures, runs
 * queued, cancelled and retried, schedules and switches. Every rule about runs lives here; the runner
 * (runtime/runner.ts) only executes them.
 */
import crypto from "node:crypto";
import cronParser from "cron-parser";
import { z } from "zod";
import type { Viewer } from "../../lib/context.ts";
import type { PrismaClient } from "../../lib/db/database.ts";
import { dateKey, keysetOrder, keysetPage } from "../../lib/db/keyset.ts";
import { badInput, conflict, InputProblems, notFound } from "../../lib/errors.ts";
import type { Connection, PageArgs } from "../../lib/graphql/pagination.ts";
import { isUuid } from "../../lib/ids.ts";
import { sendAgentReply } from "../../lib/agent-requests.ts";
import type { JobQueue } from "../../lib/jobs.ts";
import type { AgentRun, AgentRunStatus, AgentSetting, Prisma } from "../../prisma/generated/client.ts";
import type { AgentEvents, RunEvent } from "./events.ts";
import type { AgentDefinition, AgentHealth } from "./runtime/contract.ts";
import type { AgentRegistry } from "./runtime/registry.ts";
import { ensureQueue, queueName, queueOptions, replyOf, SCHEDULED_GOAL, type JobData } from "./runtime/runner.ts";

export interface AgentView {
  definition: AgentDefinition;
  setting: AgentSetting | null;
}

export interface RunFilter {
  agent?: string | null;
  status?: readonly AgentRunStatus[] | null;
  since?: Date | string | null;
}

const MAX_GOAL_LENGTH = 500;
/** The agent whose runs are database-health reports (agents/taita.ts). */
const HEALTH_AGENT = "taita";
const MAX_INPUT_BYTES = 100_000;

export class AgentsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly boss: JobQueue,
    private readonly agents: AgentRegistry,
    private readonly events: AgentEvents,
    /** A run's lease beyond its timeout (AGENT_LEASE_MARGIN_SECONDS). */
    private readonly leaseMarginSeconds: number,
  ) {}

  /** Creates each agent's queue and applies the schedules (the agent's default unless an admin set one). */
  async start(): Promise<void> {
    const settings = new Map((await this.prisma.agentSetting.findMany()).map((s) => [s.agent, s]));
    for (const agent of this.agents.values()) {
      await ensureQueue(this.boss, agent, this.leaseMarginSeconds);
      await this.applySchedule(agent, settings.get(agent.name) ?? null);
    }
  }

  async list(): Promise<AgentView[]> {
    const settings = new Map((await this.prisma.agentSetting.findMany()).map((s) => [s.agent, s]));
    return [...this.agents.values()].map((definition) => ({ definition, setting: settings.get(definition.name) ?? null }));
  }

  async run(viewer: Viewer | null, name: string, goal: string, input: unknown): Promise<AgentRun> {
    const agent = this.agentNamed(name);
    const problems = new InputProblems();
    const text = goal.trim();
    if (!text || text.length > MAX_GOAL_LENGTH) {
      problems.add("goal", { reason: text ? "TOO_LONG" : "REQUIRED", message: { ro: `Scopul are între 1 și ${MAX_GOAL_LENGTH} de caractere.`, en: `The goal has 1 to ${MAX_GOAL_LENGTH} characters.` } });
    }
    if (JSON.stringify(input ?? {}).length > MAX_INPUT_BYTES) {
      problems.add("input", { reason: "TOO_LONG", message: { ro: "Intrarea e prea mare.", en: "The input is too large." } });
    }
    const parsed = problems.parse("input", agent.input, input ?? {});
    problems.throwIfAny();
    if (!(await this.enabled(agent.name))) throw conflict(`Agentul ${agent.name} este oprit (setAgentEnabled).`);
    return this.queue(agent, { goal: text, input: parsed, requestedBy: viewer?.userId ?? null });
  }

  async cancel(id: string): Promise<AgentRun> {
    const run = await this.find(id);
    if (run.status === "QUEUED") {
      await this.boss.cancel(queueName(run.agent), run.id);
      const cancelled = await this.finishQueued(run);
      // A worker claimed it between the read and the update: it is running now, so ask that worker.
      if (cancelled.status === "RUNNING") {
        await this.events.requestCancel(run.id);
        return cancelled;
      }
      await this.replyToRequester(cancelled);
      return cancelled;
    }
    if (run.status !== "RUNNING") throw conflict("Rularea s-a încheiat deja.");
    // The worker holding it aborts the run and writes CANCELLED.
    await this.events.requestCancel(run.id);
    return run;
  }

  /** A new run with the same agent, goal and input. */
  async retry(viewer: Viewer | null, id: string): Promise<AgentRun> {
    const run = await this.find(id);
    if (run.status !== "FAILED" && run.status !== "CANCELLED") throw conflict("Doar o rulare eșuată sau anulată se poate relua.");
    return this.queue(this.agentNamed(run.agent), { goal: run.goal, input: run.input, requestedBy: viewer?.userId ?? null });
  }

  async setEnabled(name: string, enabled: boolean): Promise<AgentView> {
    const definition = this.agentNamed(name);
    const setting = await this.prisma.agentSetting.upsert({ where: { agent: name }, create: { agent: name, enabled }, update: { enabled } });
    await this.applySchedule(definition, setting);
    return { definition, setting };
  }

  /** A cron expression (UTC), or null for none. */
  async setSchedule(name: string, schedule: string | null | undefined): Promise<AgentView> {
    const definition = this.agentNamed(name);
    const cron = schedule?.trim() || "";
    if (cron) checkCron(cron);
    const setting = await this.prisma.agentSetting.upsert({ where: { agent: name }, create: { agent: name, schedule: cron }, update: { schedule: cron } });
    await this.applySchedule(definition, setting);
    return { definition, setting };
  }

  runs(filter: RunFilter, page: PageArgs): Promise<Connection<AgentRun>> {
    const where: Prisma.AgentRunWhereInput = {};
    if (filter.agent != null) where.agent = this.agentNamed(filter.agent).name;
    if (filter.status?.length) where.status = { in: [...filter.status] };
    if (filter.since != null) where.createdAt = { gte: new Date(filter.since) };
    return keysetPage(RUN_ORDER, where, page, this.prisma.agentRun);
  }

  /** taita's latest report: its newest succeeded run. */
  async databaseHealth(): Promise<AgentRun | null> {
    return this.prisma.agentRun.findFirst({ where: { agent: HEALTH_AGENT, status: "SUCCEEDED" }, orderBy: [{ finishedAt: "desc" }, { id: "desc" }] });
  }

  async find(id: string): Promise<AgentRun> {
    const run = isUuid(id) ? await this.prisma.agentRun.findUnique({ where: { id } }) : null;
    if (!run) throw notFound("Rularea");
    return run;
  }

  runEvents(id: string | null | undefined, agent: string | null | undefined): Promise<AsyncIterableIterator<RunEvent>> | AsyncIterableIterator<RunEvent> {
    if (id != null) return this.find(id).then((run) => this.events.runEvents(run.id, null));
    return this.events.runEvents(null, agent == null ? null : this.agentNamed(agent).name);
  }

  async health(agent: AgentDefinition, ctx: Parameters<AgentDefinition["health"]>[0]): Promise<AgentHealth> {
    try {
      return await agent.health(ctx);
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message.slice(0, 300) : "health check failed" };
    }
  }

  private async queue(agent: AgentDefinition, job: JobData): Promise<AgentRun> {
    const run = await this.prisma.agentRun.create({
      data: { id: crypto.randomUUID(), agent: agent.name, goal: job.goal, input: job.input as Prisma.InputJsonValue, requestedBy: job.requestedBy ?? null },
    });
    await this.boss.send(queueName(agent.name), job as object, { id: run.id, ...queueOptions(agent, this.leaseMarginSeconds) });
    await this.events.runChanged(run);
    return run;
  }

  /** A run no worker will finish (cancelled while queued): its requester hears it here (lib/agent-requests.ts). */
  private async replyToRequester(run: AgentRun): Promise<void> {
    const job = await this.boss.getJobById<JobData>(queueName(run.agent), run.id);
    const reply = replyOf(run);
    if (job?.data.replyTo && reply) await sendAgentReply(this.boss, job.data.replyTo, reply);
  }

  private async finishQueued(run: AgentRun): Promise<AgentRun> {
    const { count } = await this.prisma.agentRun.updateMany({ where: { id: run.id, status: "QUEUED" }, data: { status: "CANCELLED", finishedAt: new Date() } });
    const now = await this.find(run.id);
    if (count) await this.events.runChanged(now);
    return now;
  }

  private async enabled(name: string): Promise<boolean> {
    return (await this.prisma.agentSetting.findUnique({ where: { agent: name } }))?.enabled ?? true;
  }

  private agentNamed(name: string): AgentDefinition {
    const agent = this.agents.get(name);
    if (!agent) throw badInput({ ro: `Nu există agentul „${name.slice(0, 40)}”.`, en: `There is no agent "${name.slice(0, 40)}".` }, "agent", "NOT_FOUND");
    return agent;
  }

  private async applySchedule(agent: AgentDefinition, setting: AgentSetting | null): Promise<void> {
    const cron = setting?.schedule ?? agent.schedule ?? "";
    const name = queueName(agent.name);
    if (cron && (setting?.enabled ?? true)) await this.boss.schedule(name, cron, { goal: SCHEDULED_GOAL, input: {} } satisfies JobData, { tz: "UTC" });
    else await this.boss.unschedule(name);
  }
}

export function effectiveSchedule(view: AgentView): string | null {
  return (view.setting?.schedule ?? view.definition.schedule ?? "") || null;
}

export function checkCron(cron: string): void {
  try {
    if (cron.length > 100 || cron.split(/\s+/).length !== 5) throw new Error("five fields");
    cronParser.parseExpression(cron, { tz: "UTC" });
  } catch {
    throw badInput(
      { ro: "Program cron invalid: cinci câmpuri, de exemplu „*/5 * * * *”.", en: 'Invalid cron schedule: five fields, e.g. "*/5 * * * *".' },
      "schedule",
      "INVALID_FORMAT",
    );
  }
}

/** The agent's JSON Schema, as the API shows the input it takes. */
export function inputSchema(agent: AgentDefinition): unknown {
  return z.toJSONSchema(agent.input, { unrepresentable: "any" });
}

const RUN_ORDER = keysetOrder("createdAt", "desc", (r: AgentRun) => r.createdAt, dateKey);
