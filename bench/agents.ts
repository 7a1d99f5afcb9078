/**
 * Agents benchmark: `npm run bench:agents -- [options]`
 *
 * A burst of moderation runs on the distributed deployment, with the API under a steady browse load:
 * how fast the workers get through it, how long runs wait in the queue, what it does to the API's
 * latency, and the workers' memory. The issue's targets: ≥ 200 moderation runs/s; the browse query's
 * p99 during the burst ≤ 2× its p99 idle; worker RSS ≤ 120 MB.
 *
 *   --runs 10000             moderator jobs inserted at once (one pg-boss insert, as a burst of
 *                            publishListing calls would queue them: { goal, input: { listingId,
 *                            version }, replyTo: listing-moderation-verdicts }), on active listings
 *   --workers 1              agent worker processes (`npm run start:worker`)
 *   --size 2000              data set (bench/datasets.ts: piata_bench_<size>, seeded once), copied into a
 *                            database of the benchmark's own, dropped at the end
 *   --template <database>    copy this database instead (a copy of the data set made earlier): a session
 *                            connected to piata_bench_<size> (another benchmark's server on it) blocks the copy
 *   --browse-rate 20         browse queries per second through the gateway, open loop (bench/agents-browse.ts)
 *   --browse-connections 8   keep-alive sockets of the browse load
 *   --warmup 10              seconds of browse load before the idle phase (not measured)
 *   --idle 30                seconds of the idle phase (browse load, no runs)
 *   --max-burst 3600         give up on the burst after this many seconds
 *   --verdicts-wait 900      after the burst, wait at most this long for the listings subgraph to apply
 *                            the verdicts (0: do not wait)
 *   --no-replies             jobs without replyTo (the moderator alone, no verdicts applied)
 *   --env K=V,…              more environment for the gateway and the workers (AGENT_POLLING_INTERVAL_SECONDS=0.5)
 *   --worker-env K=V,…       more environment for the workers only (NODE_OPTIONS=--max-old-space-size=64)
 *   --worker-flags="…"       node flags of the workers instead of the deployment's (package.json start:worker:prod),
 *                            e.g. "--max-semi-space-size=4"
 *   --worker-nice 0          the workers' CPU priority once started (Linux nice, 0–19, every thread): does
 *                            background work that yields to the API keep the browse p99 down, at what rate?
 *   --runtime tsx            tsx: node --import tsx on the sources (as the other benchmarks); dist: compiled
 *                            first (tsc -p tsconfig.build.json into bench/.data/dist), `node dist/…` as the
 *                            Dockerfile runs it
 *   --reuse-dist             with --runtime dist: run the build already in bench/.data/dist (a previous run's of
 *                            this checkout) instead of compiling again: a series of runs on a loaded machine
 *   --also <agent>,…         one run of each of these agents queued 1 s into the burst (input {}), as a schedule
 *                            would start one (taita every 5 minutes): what it does to the worker's RSS and the burst
 *   --redis-url <url>        use this Redis instead of starting one (default: a redis-server of its own)
 *   --pg-url postgres://postgres@127.0.0.1:5432/postgres
 *   --out <name>             results file name under bench/results (default agents-<YYYY-MM-DD>)
 *   --quiet-wait 60 --quiet-threshold 25   before the warm-up, wait while other processes use more CPU
 *
 * Every process is a child (node --import tsx), NODE_ENV=production, on 127.0.0.1: the gateway with
 * every subgraph in it (AGENT_WORKERS=off: it serves and applies verdicts, it works no run), the
 * workers, the browse load, and a redis-server (pub/sub is global to a Redis server: the runs' events
 * must not reach the stacks of tests that share the machine's). Results: bench/results/<out>.md, .json.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import PgBoss from "pg-boss";
import { agentQueue } from "../lib/agent-requests.ts";
import { createLogger } from "../lib/logger.ts";
import { reniceThreads } from "../lib/process.ts";
import { VERDICTS_QUEUE } from "../subgraphs/listings/moderation.ts";
import { summarize, type BrowseResult, type LatencySummary } from "./agents-browse.ts";
import { BackendCpu, cpuMsOf, finalRuns, memoryOf, readProgress, redisCommandCalls, transactionsOf, type Progress } from "./agents-probes.ts";
import { markdown } from "./agents-report.ts";
import {
  BrowseLoad,
  buildDist,
  copyDatabase,
  deploymentEnv,
  prepareAgentsData,
  dropDatabase,
  startGateway,
  startRedis,
  startWorker,
  stopWorker,
  workerMemoryUsage,
  type AgentsData,
  type MemoryUsage,
  type Runtime,
  type WorkerProcess,
} from "./agents-setup.ts";
import { prepareDataset, repoRoot } from "./datasets.ts";
import { cpuProbeMs, gitState, localDate, machineTicks, CLK_TCK, setQuietWait, sleep, stopAllChildren, stopChild, stopServers, waitForQuiet, type Server } from "./harness.ts";

// ---- options --------------------------------------------------------------------------------------------

const { values: argv } = parseArgs({
  options: {
    runs: { type: "string", default: "10000" },
    workers: { type: "string", default: "1" },
    size: { type: "string", default: "2000" },
    template: { type: "string" },
    "browse-rate": { type: "string", default: "20" },
    "browse-connections": { type: "string", default: "8" },
    warmup: { type: "string", default: "10" },
    idle: { type: "string", default: "30" },
    "max-burst": { type: "string", default: "3600" },
    "verdicts-wait": { type: "string", default: "900" },
    "no-replies": { type: "boolean", default: false },
    env: { type: "string", default: "" },
    "worker-env": { type: "string", default: "" },
    "worker-nice": { type: "string", default: "0" },
    "worker-flags": { type: "string" },
    runtime: { type: "string", default: "tsx" },
    "reuse-dist": { type: "boolean", default: false },
    also: { type: "string", default: "" },
    "redis-url": { type: "string" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    out: { type: "string" },
    "quiet-wait": { type: "string", default: "60" },
    "quiet-threshold": { type: "string", default: "25" },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});

if (argv.help) {
  const header = fs.readFileSync(new URL(import.meta.url), "utf8").split("*/")[0]!;
  console.log(header.replace(/^\/\*\*\n?|^ \* ?/gm, ""));
  process.exit(0);
}

function int(name: string, raw: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

function envList(name: string, raw: string): Record<string, string> {
  const pairs = raw.split(",").map((s) => s.trim()).filter(Boolean);
  return Object.fromEntries(
    pairs.map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 1 || !/^[A-Z][A-Z0-9_]*$/.test(pair.slice(0, eq))) throw new Error(`--${name}: expected KEY=VALUE, got "${pair}"`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

export const options = {
  runs: int("runs", argv.runs),
  workers: int("workers", argv.workers),
  size: int("size", argv.size, 10),
  template: argv.template,
  browseRate: int("browse-rate", argv["browse-rate"]),
  browseConnections: int("browse-connections", argv["browse-connections"]),
  warmupSeconds: int("warmup", argv.warmup, 0),
  idleSeconds: int("idle", argv.idle),
  maxBurstSeconds: int("max-burst", argv["max-burst"]),
  verdictsWaitSeconds: int("verdicts-wait", argv["verdicts-wait"], 0),
  replies: !argv["no-replies"],
  env: envList("env", argv.env),
  workerEnv: envList("worker-env", argv["worker-env"]),
  workerFlags: argv["worker-flags"]?.split(/[\s,]+/).filter(Boolean),
  workerNice: ((n: number) => {
    if (n > 19) throw new Error(`--worker-nice must be 0–19, got ${n}`);
    return n;
  })(int("worker-nice", argv["worker-nice"], 0)),
  runtime: ((r: string): Runtime => {
    if (r !== "tsx" && r !== "dist") throw new Error(`--runtime must be tsx or dist, got "${r}"`);
    return r;
  })(argv.runtime),
  reuseDist: argv["reuse-dist"],
  also: argv.also.split(",").map((s) => s.trim()).filter(Boolean),
  redisUrl: argv["redis-url"],
  pgUrl: argv["pg-url"],
  out: argv.out,
};
if (options.template !== undefined && !/^\w+$/.test(options.template)) throw new Error(`--template must be a plain database name, got "${options.template}"`);
if (options.out !== undefined && !/^[\w.-]+$/.test(options.out)) throw new Error(`--out must be a plain file name, got "${options.out}"`);
if (!["127.0.0.1", "localhost"].includes(new URL(options.pgUrl).hostname)) throw new Error("--pg-url must point at 127.0.0.1");
setQuietWait(int("quiet-wait", argv["quiet-wait"], 0), int("quiet-threshold", argv["quiet-threshold"], 0), int("quiet-wait", argv["quiet-wait"], 0));

export const BROWSE = "{ listings(first: 20) { edges { node { id title price { amount } } } } }";
const QUEUE = agentQueue("moderator");
const DATABASE = "piata_bench_agents";
const RESULTS_DIR = path.join(repoRoot, "bench/results");
const log = createLogger({ LOG_LEVEL: "warn" }, "bench");
const r1 = (n: number) => Math.round(n * 10) / 10;
const r2 = (n: number) => Math.round(n * 100) / 100;
const loadavg = () => os.loadavg().map(r2) as [number, number, number];

// ---- measuring a window ------------------------------------------------------------------------------------

/** CPU of every process of the deployment over a window, from /proc (and the bench database's backends). */
class CpuWindow {
  private readonly started = performance.now();
  private readonly machine = machineTicks();
  private readonly before: Record<string, number>;
  private readonly self = process.cpuUsage();
  readonly backends: BackendCpu;

  private counters?: Counters;

  private constructor(
    private readonly pids: Record<string, number>,
    private readonly client: pg.Client,
    private readonly redisUrl: string,
  ) {
    this.before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMsOf(pid)]));
    this.backends = new BackendCpu(client, DATABASE);
  }

  static async open(pids: Record<string, number>, client: pg.Client, redisUrl: string): Promise<CpuWindow> {
    const window = new CpuWindow(pids, client, redisUrl);
    window.counters = await readCounters(client, redisUrl);
    return window;
  }

  async end(): Promise<WindowCpu> {
    const counters = await readCounters(this.client, this.redisUrl);
    const redisCalls: Record<string, number> = {};
    for (const [command, n] of Object.entries(counters.redis)) {
      const d = n - (this.counters!.redis[command] ?? 0);
      if (d > 0 && command !== "info") redisCalls[command] = d;
    }
    return { ...this.cpu(), transactions: counters.transactions - this.counters!.transactions, redisCalls };
  }

  private cpu(): Omit<WindowCpu, "transactions" | "redisCalls"> {
    const seconds = (performance.now() - this.started) / 1000;
    const machine = machineTicks();
    const cpuMs: Record<string, number> = Object.fromEntries(Object.entries(this.pids).map(([name, pid]) => [name, Math.round(cpuMsOf(pid) - this.before[name]!)]));
    cpuMs.postgres = this.backends.totalMs();
    const self = process.cpuUsage(this.self);
    const ours = Object.values(cpuMs).reduce((a, b) => a + b, 0) + (self.user + self.system) / 1000;
    const totalMs = ((machine.total - this.machine.total) * 1000) / CLK_TCK;
    const busyMs = ((machine.busy - this.machine.busy) * 1000) / CLK_TCK;
    return {
      seconds: r2(seconds),
      cpuMs,
      postgresBackends: this.backends.backends(),
      machineBusyPct: Math.round((busyMs / Math.max(1, totalMs)) * 100),
      otherLoadPct: Math.max(0, Math.round(((busyMs - ours) / Math.max(1, totalMs)) * 100)),
      loadavg: loadavg(),
    };
  }
}

interface Counters {
  transactions: number;
  redis: Record<string, number>;
}

async function readCounters(client: pg.Client, redisUrl: string): Promise<Counters> {
  return { transactions: await transactionsOf(client, DATABASE), redis: await redisCommandCalls(redisUrl).catch(() => ({})) };
}

export interface WindowCpu {
  /** Transactions of the bench database over the window (pg_stat_database; the probes' own included). */
  transactions: number;
  /** Redis commands over the window, by command (INFO commandstats of the bench's own redis-server). */
  redisCalls: Record<string, number>;
  seconds: number;
  /** CPU ms per process name (gateway, worker-1…, redis, browse-load, postgres = the bench database's backends). */
  cpuMs: Record<string, number>;
  postgresBackends: number;
  machineBusyPct: number;
  /** The part of the machine's busy time no process of the benchmark accounts for (others' work). */
  otherLoadPct: number;
  loadavg: [number, number, number];
}

export interface Sample {
  /** Seconds since the burst was inserted. */
  t: number;
  final: number;
  running: number;
  jobs: Record<string, number>;
  verdictsPending: number;
  /** Runs that became final since the last sample, per second. */
  runsPerSecond: number;
  workerRssMB: number[];
  workerCpuPct: number[];
}

// ---- the phases --------------------------------------------------------------------------------------------

interface Deployment {
  redisUrl: string;
  gateway: Server;
  workers: WorkerProcess[];
  redisPid: number | null;
  browse: BrowseLoad;
  client: pg.Client;
}

function pidsOf(d: Deployment): Record<string, number> {
  return {
    gateway: d.gateway.pid,
    ...Object.fromEntries(d.workers.map((w) => [w.name, w.pid])),
    ...(d.redisPid ? { redis: d.redisPid } : {}),
    "browse-load": d.browse.pid,
  };
}

async function idlePhase(d: Deployment): Promise<{ cpu: WindowCpu; workerRssMB: number[][] }> {
  console.log(`  idle: ${options.idleSeconds} s of browse load at ${options.browseRate}/s, no runs`);
  d.browse.phase("idle");
  const window = await CpuWindow.open(pidsOf(d), d.client, d.redisUrl);
  const rss: number[][] = d.workers.map(() => []);
  for (let s = 0; s < options.idleSeconds; s++) {
    await window.backends.sample();
    d.workers.forEach((w, i) => rss[i]!.push(memoryOf(w.pid)?.rssMB ?? NaN));
    await sleep(1_000);
  }
  await window.backends.sample();
  return { cpu: await window.end(), workerRssMB: rss };
}

/** Active listings to moderate (a fixed pseudo-random order), as many as runs (cycled when fewer). */
async function pickListings(client: pg.Client, n: number): Promise<{ id: string; version: number }[]> {
  const { rows } = await client.query<{ id: string; version: number }>(`SELECT id, version FROM "Listing" WHERE status = 'ACTIVE' ORDER BY md5(id::text) LIMIT $1`, [n]);
  if (!rows.length) throw new Error("no active listings in the data set");
  return Array.from({ length: n }, (_, i) => rows[i % rows.length]!);
}

interface BurstResult {
  insertMs: number;
  /** DB clock: when the insert began. */
  insertedAt: Date;
  ids: string[];
  distinctListings: number;
  cpu: WindowCpu;
  samples: Sample[];
  completed: boolean;
  lastProgress: Progress;
}

async function burstPhase(d: Deployment, boss: PgBoss): Promise<BurstResult> {
  const listings = await pickListings(d.client, options.runs);
  const jobs = listings.map((l) => ({
    name: QUEUE,
    data: { goal: `moderate listing ${l.id} v${l.version}`, input: { listingId: l.id, version: l.version }, ...(options.replies ? { replyTo: VERDICTS_QUEUE } : {}) },
  }));
  const insertedAt = (await d.client.query<{ now: Date }>("SELECT now()")).rows[0]!.now;
  console.log(`  burst: inserting ${options.runs} moderator jobs in one statement…`);
  d.browse.phase("burst");
  const window = await CpuWindow.open(pidsOf(d), d.client, d.redisUrl);
  const started = performance.now();
  await boss.insert(jobs);
  const insertMs = Math.round(performance.now() - started);
  const ids = (await d.client.query<{ id: string }>("SELECT id FROM pgboss.job WHERE name = $1 AND created_on >= $2", [QUEUE, insertedAt])).rows.map((r) => r.id);
  if (ids.length !== options.runs) throw new Error(`the insert queued ${ids.length} jobs, not ${options.runs}`);
  // --also: another agent's run in the middle of the burst, as its schedule would start one.
  const also = options.also.length
    ? sleep(1_000).then(() => boss.insert(options.also.map((agent) => ({ name: agentQueue(agent), data: { goal: "bench: alongside the burst (--also)", input: {} } }))))
    : Promise.resolve();
  const samples: Sample[] = [];
  let last = { t: 0, final: 0, cpu: d.workers.map((w) => cpuMsOf(w.pid)) };
  let progress: Progress = { runs: {}, jobs: {}, verdictsPending: 0 };
  for (;;) {
    await sleep(1_000);
    await window.backends.sample();
    progress = await readProgress(d.client, insertedAt, QUEUE, VERDICTS_QUEUE);
    const t = (performance.now() - started) / 1000;
    const final = finalRuns(progress);
    const cpu = d.workers.map((w) => cpuMsOf(w.pid));
    samples.push({
      t: r2(t),
      final,
      running: progress.runs.RUNNING ?? 0,
      jobs: progress.jobs,
      verdictsPending: progress.verdictsPending,
      runsPerSecond: r1((final - last.final) / (t - last.t)),
      workerRssMB: d.workers.map((w) => memoryOf(w.pid)?.rssMB ?? NaN),
      workerCpuPct: cpu.map((ms, i) => Math.round(((ms - last.cpu[i]!) / ((t - last.t) * 1000)) * 100)),
    });
    last = { t, final, cpu };
    if (samples.length % 10 === 0) console.log(`    ${Math.round(t)} s: ${final} final (${samples.at(-1)!.runsPerSecond}/s), jobs ${JSON.stringify(progress.jobs)}, worker RSS ${samples.at(-1)!.workerRssMB.join(", ")} MB`);
    if (final >= options.runs) break;
    if (t > options.maxBurstSeconds) {
      console.log(`  the burst did not finish within ${options.maxBurstSeconds} s: ${final} of ${options.runs} runs final`);
      break;
    }
  }
  const cpu = await window.end();
  await also;
  return { insertMs, insertedAt, ids, distinctListings: new Set(listings.map((l) => l.id)).size, cpu, samples, completed: finalRuns(progress) >= options.runs, lastProgress: progress };
}

/** After the runs: until the listings subgraph has applied every verdict (its queue is empty). */
async function verdictsPhase(d: Deployment): Promise<{ seconds: number | null; cpu: WindowCpu } | null> {
  if (!options.replies || !options.verdictsWaitSeconds) return null;
  d.browse.phase("verdicts");
  const window = await CpuWindow.open(pidsOf(d), d.client, d.redisUrl);
  const started = performance.now();
  for (;;) {
    await window.backends.sample();
    const { rows } = await d.client.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')", [VERDICTS_QUEUE]);
    const seconds = (performance.now() - started) / 1000;
    if (rows[0]!.n === 0) return { seconds: r1(seconds), cpu: await window.end() };
    if (seconds > options.verdictsWaitSeconds) {
      console.log(`  ${rows[0]!.n} verdicts still waiting after ${options.verdictsWaitSeconds} s`);
      return { seconds: null, cpu: await window.end() };
    }
    await sleep(1_000);
  }
}

// ---- after the burst: from the database ---------------------------------------------------------------------

export interface Verification {
  jobs: number;
  runRows: number;
  distinctRunRows: number;
  byStatus: Record<string, number>;
  attempts: Record<string, number>;
  jobStates: Record<string, number>;
  jobRetries: Record<string, number>;
  decisions: Record<string, number>;
  /** Replies sent to the verdicts queue, and for how many distinct runs. */
  replies: number;
  distinctReplies: number;
  moderationRows: number;
  ok: boolean;
}

async function verify(client: pg.Client, ids: string[]): Promise<Verification> {
  const one = async <T,>(sql: string) => (await client.query<T & pg.QueryResultRow>(sql, [ids])).rows;
  const tally = (rows: { k: string | number | null; n: number }[]) => Object.fromEntries(rows.map((r) => [String(r.k), r.n]));
  const jobsTable = `(SELECT id, state, retry_count, name, data FROM pgboss.job UNION ALL SELECT id, state, retry_count, name, data FROM pgboss.archive)`;
  const [rows] = await one<{ n: number; d: number }>(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM "AgentRun" WHERE id = ANY($1::uuid[])`);
  const byStatus = tally(await one(`SELECT status AS k, count(*)::int AS n FROM "AgentRun" WHERE id = ANY($1::uuid[]) GROUP BY 1`));
  const attempts = tally(await one(`SELECT attempts AS k, count(*)::int AS n FROM "AgentRun" WHERE id = ANY($1::uuid[]) GROUP BY 1`));
  const decisions = tally(await one(`SELECT output->>'decision' AS k, count(*)::int AS n FROM "AgentRun" WHERE id = ANY($1::uuid[]) GROUP BY 1`));
  const jobStates = tally(await one(`SELECT state AS k, count(*)::int AS n FROM ${jobsTable} j WHERE id = ANY($1::uuid[]) AND name = '${QUEUE}' GROUP BY 1`));
  const jobRetries = tally(await one(`SELECT retry_count AS k, count(*)::int AS n FROM ${jobsTable} j WHERE id = ANY($1::uuid[]) AND name = '${QUEUE}' GROUP BY 1`));
  const [replies] = await one<{ n: number; d: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT data->>'runId')::int AS d FROM ${jobsTable} j WHERE name = '${VERDICTS_QUEUE}' AND (data->>'runId')::uuid = ANY($1::uuid[])`,
  );
  const [moderation] = await one<{ n: number }>(`SELECT count(*)::int AS n FROM "ListingModeration" WHERE "runId" = ANY($1::uuid[])`);
  const jobs = ids.length;
  const ok = rows!.n === jobs && rows!.d === jobs && byStatus.SUCCEEDED === jobs && attempts["1"] === jobs && jobStates.completed === jobs && (!options.replies || (replies!.d === jobs && replies!.n === jobs));
  return {
    jobs,
    runRows: rows!.n,
    distinctRunRows: rows!.d,
    byStatus,
    attempts,
    jobStates,
    jobRetries,
    decisions,
    replies: replies!.n,
    distinctReplies: replies!.d,
    moderationRows: moderation!.n,
    ok,
  };
}

export interface Timings {
  /** started_on − created_on of each job (pg-boss): the wait in the queue. */
  queueWaitMs: LatencySummary | null;
  /** finishedAt − startedAt of each run (AgentRun): the run itself. */
  runMs: LatencySummary | null;
  /** completed_on − created_on (pg-boss): inserted to done. */
  endToEndMs: LatencySummary | null;
  /** The last run's finishedAt − the insert's start, s (DB clock). */
  wallSeconds: number;
  runsPerSecond: number;
  /** Between 10 % and 90 % of the runs finished: the rate once under way. */
  steadyRunsPerSecond: number | null;
}

async function timings(client: pg.Client, ids: string[], insertedAt: Date): Promise<Timings> {
  const { rows: jobs } = await client.query<{ wait: number; total: number }>(
    `SELECT extract(epoch FROM started_on - created_on) * 1000 AS wait, extract(epoch FROM completed_on - created_on) * 1000 AS total
     FROM (SELECT id, name, started_on, created_on, completed_on FROM pgboss.job UNION ALL SELECT id, name, started_on, created_on, completed_on FROM pgboss.archive) j
     WHERE name = $2 AND id = ANY($1::uuid[])`,
    [ids, QUEUE],
  );
  const { rows: runs } = await client.query<{ run: number; finished: number }>(
    `SELECT extract(epoch FROM "finishedAt" - "startedAt") * 1000 AS run, extract(epoch FROM "finishedAt" - $2::timestamptz) AS finished
     FROM "AgentRun" WHERE id = ANY($1::uuid[]) AND "finishedAt" IS NOT NULL`,
    [ids, insertedAt],
  );
  const finished = runs.map((r) => Number(r.finished)).sort((a, b) => a - b);
  const wallSeconds = finished.at(-1) ?? NaN;
  const at = (p: number) => finished[Math.min(finished.length - 1, Math.floor(p * finished.length))]!;
  const steady = finished.length >= 20 ? (0.8 * finished.length) / (at(0.9) - at(0.1)) : null;
  const numbers = (values: unknown[]) => values.filter((v) => v !== null).map(Number);
  return {
    queueWaitMs: summarize(numbers(jobs.map((j) => j.wait))),
    runMs: summarize(numbers(runs.map((r) => r.run))),
    endToEndMs: summarize(numbers(jobs.map((j) => j.total))),
    wallSeconds: r2(wallSeconds),
    runsPerSecond: r1(finished.length / wallSeconds),
    steadyRunsPerSecond: steady === null ? null : r1(steady),
  };
}

// ---- main ---------------------------------------------------------------------------------------------------

export interface Results {
  meta: Record<string, unknown> & { date: string; command: string; loadavg: Record<string, [number, number, number]> };
  options: typeof options;
  setup: { dataset: string; listings: number; startSeconds: Record<string, number>; pids: Record<string, number>; agentsData: AgentsData };
  idle: { cpu: WindowCpu; workerRssMB: number[][] };
  burst: Omit<BurstResult, "ids" | "insertedAt"> & { insertedAt: string };
  verdicts: { seconds: number | null; cpu: WindowCpu } | null;
  browse: BrowseResult;
  timings: Timings;
  verification: Verification;
  workerMemory: {
    idleRssMB: number[];
    peakHwmMB: number[];
    steadyRssMB: number[];
    endRssMB: number[];
    /** Each worker's process.memoryUsage() (MB) after the idle phase and when the last run was final. */
    usage: { idle: (MemoryUsage | null)[]; end: (MemoryUsage | null)[] };
  };
  otherRuns: Record<string, number>;
  outputs: Record<string, string>;
  benchSeconds: number;
}

const median = (values: number[]) => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : NaN;
};

async function main(): Promise<void> {
  const benchStarted = performance.now();
  const command = `npm run bench:agents${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  const meta: Results["meta"] = {
    date: localDate(),
    command,
    git: gitState(),
    startedAt: new Date().toISOString(),
    machine: { os: `${os.type()} ${os.release()} ${os.arch()}`, cpuModel: os.cpus()[0]?.model ?? "unknown", cpuCount: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
    node: process.version,
    cpuProbeMs: { start: cpuProbeMs() } as { start: number; end?: number },
    loadavg: { start: loadavg() },
  };
  console.log(`agents benchmark: ${options.runs} moderation runs, ${options.workers} worker(s), browse at ${options.browseRate}/s; load average ${loadavg().join(" ")}`);
  if (options.runtime === "dist" && options.reuseDist) {
    if (!fs.existsSync(path.join(repoRoot, "bench/.data/dist/subgraphs/agents/worker.js"))) throw new Error("--reuse-dist: no build in bench/.data/dist (run once without it)");
    meta.build = { reused: true };
    console.log("  running the build already in bench/.data/dist (--reuse-dist)");
  } else if (options.runtime === "dist") {
    console.log("  compiling into bench/.data/dist…");
    meta.build = await buildDist();
    console.log(`  compiled in ${(meta.build as { seconds: number }).seconds} s (${(meta.build as { typeErrors: number }).typeErrors} type errors in the tree, emitted anyway)`);
  }
  const template = options.template ?? (await prepareDataset(options.size, options.pgUrl, log, { pglite: false, postgres: true })).postgres.database;
  const databaseUrl = await copyDatabase(options.pgUrl, template, DATABASE);
  console.log(`  ${DATABASE}: a copy of ${template}`);
  const agentsData = await prepareAgentsData(databaseUrl);
  const { model } = agentsData;
  console.log(`  categorizer model ${model.trainedHere ? `trained in ${model.seconds} s` : "found in the copy"}: ${model.trainedOn} listings, ${model.categories} categories, held-out top-1 ${model.heldOutTop1}; schedules off: ${agentsData.schedulesOff.join(", ")}`);
  const outputs: Record<string, string> = {};
  const startSeconds: Record<string, number> = {};
  const timed = async <T,>(name: string, start: () => Promise<T>) => {
    const t = performance.now();
    const value = await start();
    startSeconds[name] = r1((performance.now() - t) / 1000);
    return value;
  };
  const redis = options.redisUrl ? null : await startRedis();
  const env = deploymentEnv(databaseUrl, options.redisUrl ?? redis!.url, options.env);
  const client = new pg.Client({ connectionString: databaseUrl });
  let gateway: Server | undefined;
  const workers: WorkerProcess[] = [];
  let boss: PgBoss | undefined;
  try {
    gateway = await timed("gateway", () => startGateway(options.runtime, env));
    for (let i = 1; i <= options.workers; i++) workers.push(await timed(`worker-${i}`, () => startWorker(`worker-${i}`, options.runtime, { ...env, ...options.workerEnv }, options.workerFlags)));
    if (options.workerNice) for (const worker of workers) reniceThreads(options.workerNice, worker.pid);
    await client.connect();
    // The bench's own pg-boss, to insert: no maintenance, no schedules (the deployment's processes do those).
    boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss", supervise: false, schedule: false, migrate: false, max: 2 });
    boss.on("error", (error: Error) => console.error(`bench pg-boss: ${error.message}`));
    await boss.start();
    const [{ n: listings }] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Listing" WHERE status = 'ACTIVE'`)).rows as [{ n: number }];
    const quietPids = { gateway: gateway.pid, ...Object.fromEntries(workers.map((w) => [w.name, w.pid])) };
    const before = await waitForQuiet(quietPids);
    console.log(`  other processes use ${before.otherPct}% of the CPU; load average ${loadavg().join(" ")}`);
    const body = JSON.stringify({ query: BROWSE });
    const browse = await BrowseLoad.start({ url: gateway.graphqlUrl, body, connections: options.browseConnections, rate: options.browseRate, maxInFlight: options.browseConnections * 8 });
    const d: Deployment = { redisUrl: options.redisUrl ?? redis!.url, gateway, workers, redisPid: redis?.proc.child.pid ?? null, browse, client };
    browse.phase("warmup");
    await sleep(options.warmupSeconds * 1000);
    const idle = await idlePhase(d);
    const idleUsage = await Promise.all(workers.map(workerMemoryUsage));
    meta.loadavg.burstStart = loadavg();
    const burst = await burstPhase(d, boss);
    meta.loadavg.burstEnd = loadavg();
    const peakHwmMB = workers.map((w) => memoryOf(w.pid)?.hwmMB ?? NaN);
    const endRssMB = workers.map((w) => memoryOf(w.pid)?.rssMB ?? NaN);
    const endUsage = await Promise.all(workers.map(workerMemoryUsage));
    const verdicts = await verdictsPhase(d);
    const browseResult = await browse.stop();
    const verification = await verify(client, burst.ids);
    const runTimings = await timings(client, burst.ids, burst.insertedAt);
    const otherRuns = Object.fromEntries(
      (
        await client.query<{ k: string; n: number }>(`SELECT agent || ':' || status AS k, count(*)::int AS n FROM "AgentRun" WHERE NOT (id = ANY($1::uuid[])) GROUP BY 1`, [burst.ids])
      ).rows.map((r) => [r.k, r.n]),
    );
    const secondHalf = burst.samples.slice(Math.floor(burst.samples.length / 2));
    const results: Results = {
      meta,
      options,
      setup: { dataset: template, listings, startSeconds, pids: pidsOf(d), agentsData },
      idle,
      burst: { ...burst, ids: undefined, insertedAt: burst.insertedAt.toISOString() } as Results["burst"],
      verdicts,
      browse: browseResult,
      timings: runTimings,
      verification,
      workerMemory: {
        idleRssMB: idle.workerRssMB.map(median),
        peakHwmMB,
        steadyRssMB: workers.map((_, i) => median(secondHalf.map((s) => s.workerRssMB[i]!))),
        endRssMB,
        usage: { idle: idleUsage, end: endUsage },
      },
      otherRuns,
      outputs,
      benchSeconds: 0,
    };
    await boss.stop({ graceful: false, wait: true });
    boss = undefined;
    for (const worker of workers.splice(0)) {
      const text = await stopWorker(worker);
      if (text) outputs[worker.name] = text;
    }
    Object.assign(outputs, await stopServers([gateway]));
    gateway = undefined;
    meta.finishedAt = new Date().toISOString();
    meta.loadavg.end = loadavg();
    (meta.cpuProbeMs as { end?: number }).end = cpuProbeMs();
    results.benchSeconds = Math.round((performance.now() - benchStarted) / 1000);
    write(results);
  } finally {
    await boss?.stop({ graceful: false, wait: true }).catch(() => {});
    await client.end().catch(() => {});
    for (const worker of workers) await stopChild(worker.proc.child);
    if (gateway) await stopServers([gateway]);
    if (redis) await stopChild(redis.proc.child);
    await dropDatabase(options.pgUrl, DATABASE);
  }
}

function write(results: Results): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const base = path.join(RESULTS_DIR, options.out ?? `agents-${results.meta.date}`);
  const md = markdown(results);
  fs.writeFileSync(`${base}.md`, md);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${md}`);
  console.log(`results: ${path.relative(repoRoot, base)}.md, ${path.relative(repoRoot, base)}.json`);
}

try {
  await main();
  await stopAllChildren(5_000);
  process.exit(0);
} catch (error) {
  console.error(`\nbenchmark failed: ${(error as Error).stack ?? String(error)}`);
  await stopAllChildren(5_000);
  process.exit(1);
}
