/**
 * CPU of the moderator's runs alone (subgraphs/agents/agents/moderator.ts), without the queue, the
 * runner or the gateway: in this process and in its PostgreSQL backend, per run, on a copy of a
 * bench data set. Runs go in groups of --batch started in the same turn, as the runner starts a
 * claimed batch. One connection, so the backend's CPU (/proc/<pid>/stat) is the runs' alone; on a
 * shared machine read the CPU, not the latencies.
 *
 *   node --import tsx bench/agents-moderator-cpu.ts --database URL [--runs 2000] [--batch 4] [--out file.json]
 *
 * Before/after: run it from a worktree of the earlier commit, then from this one, back to back.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { createLogger } from "../lib/logger.ts";
import { PrismaClient } from "../prisma/generated/client.ts";
import { agent } from "../subgraphs/agents/agents/moderator.ts";
import type { AgentContext } from "../subgraphs/agents/runtime/contract.ts";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "postgres://postgres@127.0.0.1:5432/piata_bench_2000" },
    runs: { type: "string", default: "2000" },
    batch: { type: "string", default: "4" },
    out: { type: "string" },
  },
});
const runs = Number(args.runs);
const batch = Number(args.batch);
const WARMUP = 200;

/** User + system CPU of a process in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const pool = new pg.Pool({ connectionString: args.database, max: 1 });
const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
const listings = (await prisma.$queryRaw<{ id: string; version: number }[]>`
  SELECT id, version FROM "Listing" WHERE status = 'ACTIVE' ORDER BY md5(id::text)`).map((l) => ({ listingId: l.id, version: l.version }));
if (!listings.length) throw new Error("no active listings");
const log = createLogger({ LOG_LEVEL: "warn" }, "bench");
const ctx: AgentContext = { log, signal: new AbortController().signal, db: { prisma, kind: "postgres" }, progress: async () => {} };
const decisions: Record<string, number> = {};

async function runAll(count: number, offset: number): Promise<void> {
  for (let i = 0; i < count; i += batch) {
    const group = Array.from({ length: Math.min(batch, count - i) }, (_, j) => listings[(offset + i + j) % listings.length]!);
    const results = await Promise.all(group.map((input, j) => agent.run({ id: crypto.randomUUID(), goal: `bench ${i + j}`, input }, ctx)));
    for (const r of results) {
      const decision = r.status === "success" ? String((r.output as { decision: string }).decision) : "error";
      decisions[decision] = (decisions[decision] ?? 0) + 1;
    }
  }
}

await runAll(WARMUP, 0);
const pid = (await prisma.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid;
const statements = async () => (await prisma.$queryRaw<{ n: bigint }[]>`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`)[0]!.n;
for (const k of Object.keys(decisions)) delete decisions[k];
const statementsBefore = await statements();
const backendBefore = cpuMs(pid);
const processBefore = process.cpuUsage();
const started = performance.now();
await runAll(runs, WARMUP);
const seconds = (performance.now() - started) / 1000;
const processCpu = process.cpuUsage(processBefore);
const backendCpu = cpuMs(pid) - backendBefore;
// pg_stat_database is updated when a backend reports (at most every 10 ms idle, or 1 s busy).
await new Promise((resolve) => setTimeout(resolve, 1_100));
const statementsAfter = await statements();
const r2 = (n: number) => Math.round(n * 100) / 100;
const result = {
  database: args.database.replace(/\/\/[^@]*@/, "//"),
  runs,
  batch,
  processCpuMsPerRun: r2((processCpu.user + processCpu.system) / 1000 / runs),
  postgresCpuMsPerRun: r2(backendCpu / runs),
  transactionsPerRun: r2(Number(statementsAfter - statementsBefore - 2n) / runs),
  runsPerSecondOneConnection: r2(runs / seconds),
  decisions,
  loadAverage: (await import("node:os")).loadavg().map(r2),
};
console.log(JSON.stringify(result));
if (args.out) fs.writeFileSync(args.out, JSON.stringify(result, null, 2) + "\n");
await prisma.$disconnect();
await pool.end();
