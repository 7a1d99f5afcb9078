/**
 * phitagora, the query optimiser: takes the slowest statements the API recorded (and pg_stat_statements',
 * where the server has it), EXPLAINs their generic plans, finds sequential scans filtering large tables
 * and sorts of rows read by one, and proposes indexes with the measured plan-cost change: each candidate
 * is created inside a transaction, the statements EXPLAINed again, and the index rolled back
 * (phitagora-trial.ts). It never changes the schema: the proposals are CREATE INDEX CONCURRENTLY text
 * for a migration, and only those the planner used and that lowered a statement's cost are proposed.
 */
import { z } from "zod";
import type { AgentContext } from "../runtime/contract.ts";
import { defineAgent } from "../runtime/contract.ts";
import { sqlFor } from "../runtime/sql.ts";
import { candidateKey, candidatesOf, coveredBy, planUsesIndex, seqScans, type Candidate, type PlanNode, type TableInfo } from "./phitagora-plan.ts";
import { collectStatements, type SourceStatement } from "./phitagora-sources.ts";
import { indexColumnsSql, quoteIdent, withPlanSession, type PlanDatabase, type PlanSession, type Prepared, type SessionSettings } from "./phitagora-trial.ts";
import { readOnlyQuery } from "./taita.ts";
import { errorMessage } from "./taita-checks.ts";

const MiB = 1024 * 1024;

export const phitagoraInput = z.object({
  /** Statements recorded in the last this many hours. */
  sinceHours: z.number().positive().max(24 * 7).default(24),
  /** The slowest statements (by total time) examined. */
  statements: z.number().int().min(1).max(50).default(10),
  /** Seq scans and sorts on smaller tables are cheap enough: no index proposed. */
  minTableRows: z.number().int().min(1).default(1_000),
  /** A proposal must lower the cost of the statements it helps by at least this share. */
  minCostReduction: z.number().gt(0).lt(1).default(0.2),
  /** Tables larger than this are not given a trial index (it reads the table and blocks writes while it builds). */
  maxTrialBytes: z.number().int().min(0).default(256 * MiB),
});

export type PhitagoraInput = z.output<typeof phitagoraInput>;

export interface ExaminedStatement {
  source: SourceStatement["source"];
  id: string;
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  /** The generic plan's total cost; null when it could not be explained. */
  cost: number | null;
  seqScans: { table: string; filter: string | null; rows: number }[];
  error?: string;
}

export interface Proposal {
  table: string;
  columns: string[];
  /** For a migration (CONCURRENTLY: no write lock while it builds); phitagora never runs it. */
  createIndex: string;
  reason: Candidate["reason"];
  evidence: string;
  /** Sum of the generic plan costs of the statements it helps, without and with the index. */
  costBefore: number;
  costAfter: number;
  reduction: number;
  statements: { source: SourceStatement["source"]; id: string; query: string; costBefore: number; costAfter: number }[];
}

export interface Rejected {
  table: string;
  columns: string[];
  reason: string;
}

export interface PhitagoraReport {
  generatedAt: string;
  database: { kind: "pglite" | "postgres" };
  sources: { api: number; pgStatStatements: number | null };
  statements: ExaminedStatement[];
  proposals: Proposal[];
  rejected: Rejected[];
  notMeasured: { check: string; reason: string }[];
  thresholds: PhitagoraInput;
}

interface Explained {
  source: SourceStatement;
  plan?: PlanNode;
  error?: string;
}

const round = (value: number) => Math.round(value * 100) / 100;

function proposedName(candidate: Candidate): string {
  return `${candidate.table}_${candidate.columns.map((c) => c.column).join("_")}_idx`.slice(0, 63);
}

function createIndexSql(candidate: Candidate): string {
  return `CREATE INDEX CONCURRENTLY ${quoteIdent(proposedName(candidate))} ON ${quoteIdent(candidate.schema)}.${quoteIdent(candidate.table)} (${indexColumnsSql(candidate.columns)});`;
}

async function explainAll(session: PlanSession, statements: SourceStatement[], signal: AbortSignal): Promise<Explained[]> {
  const explained: Explained[] = [];
  for (const source of statements) {
    signal.throwIfAborted();
    try {
      explained.push({ source, plan: await session.explain(await session.prepare(source.query)) });
    } catch (error) {
      explained.push({ source, error: errorMessage(error) });
    }
  }
  return explained;
}

/** Candidates from every plan, one per table and columns, with the statements that asked for each. */
function gatherCandidates(explained: Explained[], tables: Map<string, TableInfo>, minTableRows: number) {
  const gathered = new Map<string, { candidate: Candidate; statements: Explained[] }>();
  for (const e of explained) {
    if (!e.plan) continue;
    for (const candidate of candidatesOf(e.plan, tables, minTableRows)) {
      const key = candidateKey(candidate);
      const entry = gathered.get(key) ?? { candidate, statements: [] };
      if (!entry.statements.includes(e)) entry.statements.push(e);
      gathered.set(key, entry);
    }
  }
  return [...gathered.values()];
}

/**
 * One candidate's trial, in a session of its own (sessions hold a connection: PGlite's only one, so the
 * API waits while one is open; between trials it does not): the statements it may help are prepared
 * and explained again, the index built, the statements explained with it, the index rolled back.
 */
async function trial(
  db: PlanDatabase,
  settings: SessionSettings,
  entry: { candidate: Candidate; statements: Explained[] },
  input: PhitagoraInput,
  table: TableInfo,
  existing: string[][],
): Promise<Proposal | Rejected> {
  const { candidate } = entry;
  const base = { table: `${candidate.schema}.${candidate.table}`, columns: candidate.columns.map((c) => c.column) };
  if (coveredBy(candidate.columns, existing)) return { ...base, reason: "an existing index already starts with these columns" };
  if (table.bytes > input.maxTrialBytes) {
    return { ...base, reason: `not tried: the table takes ${Math.round(table.bytes / MiB)} MiB (maxTrialBytes ${Math.round(input.maxTrialBytes / MiB)} MiB); a trial index would read it all and block its writes while it builds` };
  }
  let measured: { before: PlanNode; after: PlanNode; indexName: string }[];
  try {
    measured = await withPlanSession(db, settings, async (session) => {
      const prepared: Prepared[] = [];
      for (const e of entry.statements) prepared.push(await session.prepare(e.source.query));
      const before: PlanNode[] = [];
      for (const p of prepared) before.push(await session.explain(p));
      const { indexName, plans } = await session.tryIndex(candidate, prepared);
      return plans.map((after, i) => ({ before: before[i]!, after, indexName }));
    });
  } catch (error) {
    return { ...base, reason: `the trial failed: ${errorMessage(error)}` };
  }
  const helped = entry.statements
    .map((e, i) => ({ e, ...measured[i]! }))
    .filter(({ before, after, indexName }) => planUsesIndex(after, indexName) && after["Total Cost"] < before["Total Cost"]);
  if (helped.length === 0) return { ...base, reason: "the planner did not use it, or the cost did not go down" };
  const costBefore = helped.reduce((sum, h) => sum + h.before["Total Cost"], 0);
  const costAfter = helped.reduce((sum, h) => sum + h.after["Total Cost"], 0);
  const reduction = 1 - costAfter / costBefore;
  if (reduction < input.minCostReduction) {
    return { ...base, reason: `the cost went down by ${Math.round(reduction * 100)}% only (${round(costBefore)} → ${round(costAfter)}; minCostReduction ${input.minCostReduction})` };
  }
  return {
    ...base,
    createIndex: createIndexSql(candidate),
    reason: candidate.reason,
    evidence: candidate.evidence,
    costBefore: round(costBefore),
    costAfter: round(costAfter),
    reduction: round(reduction),
    statements: helped.map(({ e, before, after }) => ({
      source: e.source.source,
      id: e.source.id,
      query: e.source.query.slice(0, 500),
      costBefore: round(before["Total Cost"]),
      costAfter: round(after["Total Cost"]),
    })),
  };
}

function examined(e: Explained): ExaminedStatement {
  const { source } = e;
  return {
    source: source.source,
    id: source.id,
    query: source.query.slice(0, 500),
    calls: source.calls,
    totalMs: round(source.totalMs),
    meanMs: round(source.meanMs),
    cost: e.plan ? round(e.plan["Total Cost"]) : null,
    seqScans: e.plan ? seqScans(e.plan).map((s) => ({ table: `${s.schema}.${s.table}`, filter: s.filter ?? null, rows: s.rows })) : [],
    ...(e.error ? { error: e.error } : {}),
  };
}

export function createPhitagoraAgent(options: { statementTimeoutMs?: number; lockTimeoutMs?: number } = {}) {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  return defineAgent({
    name: "phitagora",
    description:
      "Query optimiser: EXPLAINs the slowest statements the API recorded (and pg_stat_statements'), finds sequential scans and sorts on large tables, and proposes indexes with the measured plan-cost change (each tried inside a transaction that is rolled back). Never changes the schema.",
    input: phitagoraInput,
    timeoutSeconds: 180,
    retries: 0,
    concurrency: 1,

    async run(task, ctx: AgentContext) {
      const input = task.input;
      const started = Date.now();
      const notMeasured: PhitagoraReport["notMeasured"] = [];
      await ctx.progress(`reading the slowest statements of the last ${input.sinceHours} hours`);
      const sources = await collectStatements(ctx.db, readOnlyQuery(() => ctx.db.prisma, 15_000, ctx.db.sql), {
        since: new Date(Date.now() - input.sinceHours * 3_600_000),
        limit: input.statements,
      });
      if ("reason" in sources.pgStatStatements) notMeasured.push({ check: "pg_stat_statements", reason: sources.pgStatStatements.reason });
      if (sources.statements.length === 0) notMeasured.push({ check: "statements", reason: "no explainable statement was recorded in that time (OPERATION_RECORDER off, or no traffic yet)" });

      const settings: SessionSettings = { statementTimeoutMs, lockTimeoutMs: options.lockTimeoutMs ?? 2_000, sessionTimeoutMs: 60_000 };
      await ctx.progress(`explaining ${sources.statements.length} statements`);
      // No progress (an AgentRun write) while a session is open: on PGlite it would wait for the session's connection.
      const { explained, tables, indexes } = await withPlanSession(ctx.db, settings, async (session) => {
        const explained = await explainAll(session, sources.statements, ctx.signal);
        return { explained, ...(await session.tables(explained.flatMap((e) => (e.plan ? seqScans(e.plan) : [])))) };
      });
      const outcome = { explained, proposals: [] as Proposal[], rejected: [] as Rejected[] };
      for (const entry of gatherCandidates(explained, tables, input.minTableRows)) {
        ctx.signal.throwIfAborted();
        const key = `${entry.candidate.schema}.${entry.candidate.table}`;
        await ctx.progress(`trying an index on ${key} (${entry.candidate.columns.map((c) => c.column).join(", ")})`);
        const result = await trial(ctx.db, settings, entry, input, tables.get(key)!, indexes.get(key) ?? []);
        if ("createIndex" in result) outcome.proposals.push(result);
        else outcome.rejected.push(result);
      }

      const proposals = outcome.proposals.sort((a, b) => b.costBefore - b.costAfter - (a.costBefore - a.costAfter));
      const report: PhitagoraReport = {
        generatedAt: new Date().toISOString(),
        database: { kind: ctx.db.kind },
        sources: {
          api: sources.statements.filter((s) => s.source === "api").length,
          pgStatStatements: "read" in sources.pgStatStatements ? sources.statements.filter((s) => s.source === "pg_stat_statements").length : null,
        },
        statements: outcome.explained.map(examined),
        proposals,
        rejected: outcome.rejected,
        notMeasured,
        thresholds: input,
      };
      await ctx.progress(`done: ${proposals.length} index proposals from ${sources.statements.length} statements`);
      return { status: "success", output: report, metadata: { durationMs: Date.now() - started, proposals: proposals.length } };
    },

    async health(ctx) {
      try {
        await sqlFor(ctx.db)("SELECT 1 AS ok");
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: errorMessage(error) };
      }
    },
  });
}

export const agent = createPhitagoraAgent();
