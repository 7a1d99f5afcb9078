/**
 * CPU of one price estimate (subgraphs/agents/models/pricing.ts: suggestPrice, the pricer and the
 * moderator all call it), in this process and in its PostgreSQL backend, on a data set of bench/search
 * (`piata_bench_100000` by default). One connection, so the backend's CPU (/proc/<pid>/stat) is the
 * estimates' alone; latencies are printed too but on a shared machine read the CPU.
 *
 *   node --import tsx bench/pricing-cpu.ts [--database URL] [--samples 100] [--out bench/results/pricing-….json]
 *
 * Before/after: run it from a worktree of the earlier commit, then from this one, back to back.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../prisma/generated/client.ts";
import { estimatePrice, type PriceQuery } from "../subgraphs/agents/models/pricing.ts";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "postgres://postgres@127.0.0.1:5432/piata_bench_100000" },
    samples: { type: "string", default: "100" },
    out: { type: "string" },
  },
});
const samples = Number(args.samples);
const WARMUP = 20;

/** User + system CPU of a process in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const pool = new pg.Pool({ connectionString: args.database, max: 1 });
const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
type Row = { id: string; categoryId: number; title: string; attributes: Record<string, unknown> | null; county: string; city: string };
// A stable sample of active listings, each priced against the others as the moderator does.
const rows = await prisma.$queryRaw<Row[]>`
  SELECT id, "categoryId", title, attributes, county, city FROM "Listing" WHERE status = 'ACTIVE' ORDER BY md5(id::text) LIMIT ${samples + WARMUP}`;
const query = (l: Row): PriceQuery => ({ ...l, excludeListingId: l.id });
for (const l of rows.slice(0, WARMUP)) await estimatePrice({ prisma }, query(l));

const pid = (await prisma.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid;
const durations: number[] = [];
const backendBefore = cpuMs(pid);
const processBefore = process.cpuUsage();
for (const l of rows.slice(WARMUP)) {
  const start = performance.now();
  await estimatePrice({ prisma }, query(l));
  durations.push(performance.now() - start);
}
const processCpu = process.cpuUsage(processBefore);
const backendCpu = cpuMs(pid) - backendBefore;
durations.sort((a, b) => a - b);
const at = (q: number) => Number(durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!.toFixed(1));
const result = {
  database: args.database.replace(/\/\/[^@]*@/, "//"),
  estimates: durations.length,
  processCpuMsPerEstimate: Number(((processCpu.user + processCpu.system) / 1000 / durations.length).toFixed(2)),
  postgresCpuMsPerEstimate: Number((backendCpu / durations.length).toFixed(2)),
  latencyMs: { p50: at(0.5), p95: at(0.95), max: at(1) },
  loadAverage: (await import("node:os")).loadavg().map((l) => Number(l.toFixed(1))),
};
console.log(JSON.stringify(result));
if (args.out) fs.writeFileSync(args.out, JSON.stringify(result, null, 2) + "\n");
await prisma.$disconnect();
await pool.end();
