/**
 * The agent contract, kept exactly (ARCHITECTURE.md): JSON in, JSON out, so any agent can be
 * reimplemented elsewhere as a drop-in. An agent is one module in agents/ exporting `agent`; adding an
 * agent is adding a file (runtime/registry.ts finds them).
 */
import type { z } from "zod";
import type { PrismaClient } from "../../../lib/db/database.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { Sql, SqlTransaction } from "./sql.ts";

export interface AgentTask<Input = unknown> {
  id: string;
  goal: string;
  input: Input;
}

export interface AgentResult {
  status: "success" | "error";
  output: unknown;
  metadata?: unknown;
}

export interface AgentHealth {
  ok: boolean;
  detail?: string;
}

/** What a run may use: nothing else of the process. */
export interface AgentContext {
  log: Logger;
  /** A line an admin watching the run sees live (agentRunUpdated). */
  progress(message: string): Promise<void>;
  /** Aborted when the run is cancelled or times out: stop soon after. */
  signal: AbortSignal;
  /**
   * `sql`: plain SQL through the database's own driver (runtime/sql.ts; `sqlFor(db)` falls back to
   * Prisma's raw SQL when absent). A worker whose runs use only it never loads Prisma's query compiler.
   * `transaction`: statements on one connection in one transaction, through the same driver (absent:
   * an interactive transaction of Prisma's).
   */
  db: { prisma: PrismaClient; kind: "pglite" | "postgres"; sql?: Sql; transaction?: SqlTransaction };
  /** An OpenAI-compatible endpoint when configured; absent otherwise. */
  llm?: LlmProvider;
}

export interface LlmProvider {
  /** The model answers come from (shown beside what it wrote). */
  readonly model: string;
  /**
   * One answer to `prompt`. `system` carries the instructions apart from it (the chat's system
   * message): a prompt may hold untrusted text, such as a seller's listing.
   */
  complete(prompt: string, options?: { signal?: AbortSignal; maxTokens?: number; system?: string }): Promise<string>;
  /** Whether the endpoint answers now (an agent's health()). */
  check(signal?: AbortSignal): Promise<AgentHealth>;
}

export interface AgentDefinition<Schema extends z.ZodType = z.ZodType> {
  /** Lower-case, stable: the queue's and the API's name for it. */
  name: string;
  description: string;
  input: Schema;
  /** A cron expression to run on by default (UTC), or none. */
  schedule?: string;
  /** Seconds a run may take before it is aborted and retried (default 60). */
  timeoutSeconds?: number;
  /** Attempts after the first when a run throws or times out (default 2). */
  retries?: number;
  /** Runs of this agent at once per worker process (default 2). */
  concurrency?: number;
  /**
   * Runs of this agent started per second per worker process, at most (runtime/pacing.ts): background
   * work that yields the cores to the API. Absent: unpaced. AGENT_MAX_RUNS_PER_SECOND overrides it.
   */
  maxRunsPerSecond?: number;
  run(task: AgentTask<z.output<Schema>>, ctx: AgentContext): Promise<AgentResult>;
  health(ctx: Pick<AgentContext, "db" | "log" | "llm">): Promise<AgentHealth>;
}

/** Keeps the input schema's type flowing into run(). */
export function defineAgent<Schema extends z.ZodType>(agent: AgentDefinition<Schema>): AgentDefinition<Schema> {
  return agent;
}
