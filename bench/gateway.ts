/**
 * Gateway benchmark: `npm run bench:gateway -- [options]`
 *
 *   --suite modes           modes: the topologies side by side (below); protections: what the gateway's
 *                           limits cost and how fast they refuse (the "Safe to expose" issue, further below)
 *   --sizes 2000,100000     data set sizes (listings); sellers = size / 10, at most 10,000
 *   --duration 10           seconds of measured load per run
 *   --connections 10        concurrent connections of the load generator
 *   --warmup 3              seconds of unmeasured load before each run
 *   --modes embedded,embedded-pg,distributed,direct,stock,stock-pg,stock-remote,hive,hive-dedupe
 *                           stock, stock-pg: the peer row, a stock @apollo/gateway with Apollo's
 *                           LocalGraphQLDataSource over the same subgraphs (bench/stock-gateway.ts),
 *                           on PGlite / on PostgreSQL
 *                           stock-remote, hive: the peers of the distributed gateway, over the same five
 *                           subgraph processes: a stock @apollo/gateway with RemoteGraphQLDataSource
 *                           (bench/stock-remote-gateway.ts), and Hive Gateway (bench/hive-gateway.ts);
 *                           hive-dedupe: Hive as shipped, sharing one subgraph request among identical
 *                           queries in flight (hive: off, as our gateway sends every request)
 *   --runtime prod          prod: every server from a production build (bench/build.ts, `npm run
 *                           start:prod`'s way, MALLOC_ARENA_MAX=2 as `npm start` sets it); tsx: from the
 *                           sources under tsx (--profile always runs under tsx)
 *   --dist <dir>            with --runtime prod: an existing build (e.g. a copy with one file swapped for a
 *                           before/after) instead of a new bench/.data/dist
 *   --idle-wait 5           seconds after a production server is ready before its idle RSS is read
 *   --settled-wait 0        if more than --idle-wait: RSS read again that many seconds after ready, still
 *                           without a request ("settled": V8's memory reducer shrinks the young generation
 *                           start-up grew some 10-25 s after the last start-up GC; 30 is past it)
 *   --queries listing,browse
 *   --stats-wait 11         seconds to let PostgreSQL flush its statistics (DB-side statement counts)
 *   --sql-probe-requests 50 requests per query for the DB-side statement count; 0 skips it
 *   --pg-url postgres://postgres@127.0.0.1:5432/postgres
 *   --redis-url redis://127.0.0.1:6379   distributed and direct: the processes' pub/sub (a subgraph process
 *                           refuses to start without one: its events must reach the gateways)
 *   --pglite-analyze        run (a) on a copy of the PGlite data set that got ANALYZE (PGlite has no autovacuum)
 *   --out <name>            results file name under bench/results (default gateway-<YYYY-MM-DD>, or
 *                           gateway-<YYYY-MM-DD>-protections)
 *   --profile               instead of the benchmark: profile the embedded gateway under load
 *   --profile-query browse  (listing|browse)   --profile-db pglite (pglite|postgres)
 *   --quiet-wait 60         before each measured load, wait up to this many seconds while processes outside
 *   --quiet-threshold 25    the benchmark use more than this % of all cores (others share the machine);
 *   --quiet-budget 900      at most this many seconds of such waits over the whole run
 *
 * --suite protections (bench/protections.ts), on each data set and database of --protection-dbs:
 *   --parts onoff,profile,refusals,attack
 *       onoff     --queries with every protection on and off (limits set so high they never refuse), and
 *                 on the gateways of --protections-commit and of its parent: side by side on the same
 *                 data, the load sent to one at a time, --rounds times
 *       profile   the "on" gateway under --cpu-prof: each protection's inclusive share of its CPU
 *       refusals  each attack document sent --refusal-requests times, one at a time: latency, CPU, answer
 *       attack    BROWSE at --attack-connections, idle and then with the 6-level attack at --attack-rate/s
 *   --protection-dbs pglite,postgres
 *   --rounds 2              onoff and attack: rounds (variants; idle/attack), each onoff round in the
 *                           reverse order of the last
 *   --protections-commit auto   the commit compared with its parent (the baseline): auto = the one that
 *                           added the protections (gateway/limits/operation-limits.ts); a revision (then
 *                           commit / baseline is what that commit changed, not what the protections
 *                           cost: the write-up says so); or none
 *   --compare-label "…"     with a revision: what that commit changes, for the write-up (e.g. "operation
 *                           and fetch cost cached per document")
 *   --refusal-requests 2000 --attack-rate 20 --attack-connections 4
 *
 * Every server is a separate child process (node --import tsx), NODE_ENV=production, on 127.0.0.1, with
 * rate limits so high that they never refuse (the limiter still counts every request); the load comes
 * from another child (bench/load-worker.ts, autocannon). Data sets are cached under bench/.data/ and in
 * the PostgreSQL databases piata_bench_<size> (see bench/datasets.ts).
 * Results: bench/results/<out>.md and .json.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createLogger } from "../lib/logger.ts";
import { SUBGRAPH_NAMES } from "../subgraphs/names.ts";
import { buildForBench } from "./build.ts";
import { buildPeers } from "./build-peers.ts";
import { DATA_ROOT, prepareDataset, repoRoot, type PreparedDataset } from "./datasets.ts";
import {
  CLK_TCK,
  localDate,
  measure,
  post,
  quietMethod,
  round2,
  serverEnv,
  sleep,
  startServer,
  stopAllChildren,
  withServers,
  cpuProbeMs,
  gitState,
  setQuietWait,
  rssMb,
  runtimeLabel,
  useBuild,
  type Measured,
  type Meta,
} from "./harness.ts";
import type { LoadSpec } from "./load-worker.ts";
import { check, headersFor, pickListing, QUERIES, QUERY_NAMES, requestBody, type QueryName, type Target } from "./operations.ts";
import { formatSummary, readProfile, summarize } from "./profile-top.ts";
import { benchProtections, PROTECTION_DBS, PROTECTION_PARTS, type ProtectionOptions } from "./protections.ts";

// ---- options ----------------------------------------------------------------------------------------

const MODES = ["embedded", "embedded-pg", "distributed", "direct", "stock", "stock-pg", "stock-remote", "hive", "hive-dedupe"] as const;
type Mode = (typeof MODES)[number];
const SUITES = ["modes", "protections"] as const;

const { values: argv } = parseArgs({
  options: {
    suite: { type: "string", default: "modes" },
    sizes: { type: "string", default: "2000,100000" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    modes: { type: "string", default: MODES.join(",") },
    queries: { type: "string", default: QUERY_NAMES.join(",") },
    "stats-wait": { type: "string", default: "11" },
    "sql-probe-requests": { type: "string", default: "50" },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    "redis-url": { type: "string", default: "redis://127.0.0.1:6379" },
    "pglite-analyze": { type: "boolean", default: false },
    out: { type: "string" },
    profile: { type: "boolean", default: false },
    "profile-query": { type: "string", default: "browse" },
    "profile-db": { type: "string", default: "pglite" },
    parts: { type: "string", default: PROTECTION_PARTS.join(",") },
    "protection-dbs": { type: "string", default: PROTECTION_DBS.join(",") },
    rounds: { type: "string", default: "2" },
    "protections-commit": { type: "string", default: "auto" },
    "compare-label": { type: "string" },
    "refusal-requests": { type: "string", default: "2000" },
    "attack-rate": { type: "string", default: "20" },
    "attack-connections": { type: "string", default: "4" },
    "quiet-wait": { type: "string", default: "60" },
    "quiet-budget": { type: "string", default: "900" },
    "quiet-threshold": { type: "string", default: "25" },
    runtime: { type: "string", default: "prod" },
    dist: { type: "string" },
    "idle-wait": { type: "string", default: "5" },
    "settled-wait": { type: "string", default: "0" },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});

if (argv.help) {
  const header = fs.readFileSync(new URL(import.meta.url), "utf8").split("*/")[0]!;
  console.log(header.replace(/^\/\*\*\n?|^ \* ?/gm, ""));
  process.exit(0);
}

function positiveInt(name: string, raw: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

function listOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw.split(",").map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`--${name}: unknown "${item}" (expected ${allowed.join(", ")})`);
  return items as T[];
}

const options = {
  suite: listOf("suite", argv.suite, SUITES)[0] ?? "modes",
  sizes: argv.sizes.split(",").map((s) => positiveInt("sizes", s.trim(), 10)),
  durationSeconds: positiveInt("duration", argv.duration),
  connections: positiveInt("connections", argv.connections),
  warmupSeconds: positiveInt("warmup", argv.warmup, 0),
  modes: listOf("modes", argv.modes, MODES),
  queries: listOf("queries", argv.queries, QUERY_NAMES),
  statsWaitSeconds: positiveInt("stats-wait", argv["stats-wait"], 0),
  sqlProbeRequests: positiveInt("sql-probe-requests", argv["sql-probe-requests"], 0),
  pgUrl: argv["pg-url"],
  redisUrl: argv["redis-url"],
  pgliteAnalyze: argv["pglite-analyze"],
  out: argv.out,
  profile: argv.profile,
  profileQuery: listOf("profile-query", argv["profile-query"], QUERY_NAMES)[0] ?? "browse",
  profileDb: listOf("profile-db", argv["profile-db"], ["pglite", "postgres"] as const)[0] ?? "pglite",
  quietWaitSeconds: positiveInt("quiet-wait", argv["quiet-wait"], 0),
  quietThresholdPct: positiveInt("quiet-threshold", argv["quiet-threshold"], 0),
  quietBudgetSeconds: positiveInt("quiet-budget", argv["quiet-budget"], 0),
  runtime: listOf("runtime", argv.runtime, ["prod", "tsx"] as const)[0] ?? "prod",
  idleWaitSeconds: positiveInt("idle-wait", argv["idle-wait"], 0),
  settledWaitSeconds: positiveInt("settled-wait", argv["settled-wait"], 0),
};
setQuietWait(options.quietWaitSeconds, options.quietThresholdPct, options.quietBudgetSeconds);

const protectionOptions: ProtectionOptions = {
  parts: listOf("parts", argv.parts, PROTECTION_PARTS),
  databases: listOf("protection-dbs", argv["protection-dbs"], PROTECTION_DBS),
  queries: options.queries,
  rounds: positiveInt("rounds", argv.rounds),
  protectionsCommit: argv["protections-commit"],
  compareLabel: argv["compare-label"]?.trim() || undefined,
  outName: argv.out,
  refusalRequests: positiveInt("refusal-requests", argv["refusal-requests"], 10),
  attackRate: positiveInt("attack-rate", argv["attack-rate"]),
  attackConnections: positiveInt("attack-connections", argv["attack-connections"]),
  load: { connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds },
};

if (options.out !== undefined && !/^[\w.-]+$/.test(options.out)) throw new Error(`--out must be a plain file name, got "${options.out}"`);
if (!/^[\w./^~-]+$/.test(protectionOptions.protectionsCommit)) {
  throw new Error(`--protections-commit must be auto, none or a revision, got "${protectionOptions.protectionsCommit}"`);
}
{
  const host = new URL(options.pgUrl).hostname;
  if (host !== "127.0.0.1" && host !== "localhost") throw new Error(`--pg-url must point at 127.0.0.1, got ${host}`);
}

const RESULTS_DIR = path.join(repoRoot, "bench/results");
const PROFILES_DIR = path.join(RESULTS_DIR, "profiles");
const log = createLogger({ LOG_LEVEL: "warn" }, "bench");

/** One measured load of the modes suite: --warmup s unmeasured, then --duration s measured. */
function measureLoad(url: string, body: string, processes: Record<string, number>, usesPostgres: boolean, headers: Record<string, string> = {}): Promise<Measured> {
  const spec: LoadSpec = { url, body, headers, connections: options.connections, durationSeconds: options.durationSeconds };
  const warmup = options.warmupSeconds > 0 ? { ...spec, durationSeconds: options.warmupSeconds } : undefined;
  return measure({ spec, warmup }, processes, usesPostgres);
}

// ---- SQL statement counts -------------------------------------------------------------------------------

/** x-sql-statements of one request per query (the second one: the first may warm caches). */
async function headerSqlCounts(url: string, listingId: string): Promise<Record<QueryName, { first: number; steady: number }>> {
  const counts = {} as Record<QueryName, { first: number; steady: number }>;
  for (const query of QUERY_NAMES) {
    const first = await check(url, query, "gateway", listingId);
    const steady = await check(url, query, "gateway", listingId);
    if (steady.sqlStatements === undefined) throw new Error(`no x-sql-statements header from ${url} (is EXPOSE_SQL_COUNT off?)`);
    counts[query] = { first: first.sqlStatements ?? NaN, steady: steady.sqlStatements };
  }
  return counts;
}

// ---- PostgreSQL statement counts -----------------------------------------------------------------------

async function xactCount(database: string): Promise<number> {
  const client = new pg.Client({ connectionString: options.pgUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      // A new connection commits one transaction of its own at startup: count sessions out.
      "SELECT xact_commit + xact_rollback - sessions AS n FROM pg_stat_database WHERE datname = $1",
      [database],
    );
    return Number(rows[0]?.n ?? NaN);
  } finally {
    await client.end();
  }
}


/**
 * SQL statements per request counted by PostgreSQL itself: every statement the app sends outside an
 * explicit transaction is one transaction, so the growth of pg_stat_database.xact_commit over N
 * sequential requests, divided by N, counts statements of every process (gateway and subgraphs).
 * Backends publish their counters when idle (up to 10 s later): hence the waits.
 */
async function databaseSqlCounts(
  database: string,
  probes: { key: string; url: string; body: string; headers?: Record<string, string> }[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  if (!options.sqlProbeRequests) return counts;
  const n = options.sqlProbeRequests;
  const wait = options.statsWaitSeconds * 1000;
  console.log(`    counting SQL statements in PostgreSQL (${n} requests per operation, ${options.statsWaitSeconds} s waits)…`);
  await sleep(wait);
  let before = await xactCount(database);
  for (const probe of probes) {
    for (let i = 0; i < n; i++) {
      const reply = await post(probe.url, probe.body, probe.headers);
      if (reply.status !== 200 || reply.json.errors?.length) throw new Error(`SQL probe ${probe.key}: ${JSON.stringify(reply.json).slice(0, 1000)}`);
    }
    await sleep(wait);
    const after = await xactCount(database);
    counts[probe.key] = Math.round(((after - before) / n) * 100) / 100;
    before = after;
  }
  return counts;
}

// ---- the runs --------------------------------------------------------------------------------------------

interface RunRecord extends Measured {
  size: number;
  mode: Mode;
  query: QueryName;
  /** The process the load was sent to. */
  target: string;
  database: "pglite" | "postgres";
  sqlStatements: { header?: number; headerFirstRequest?: number; database?: number };
  /** Per server process: RSS --idle-wait s after it was ready, before any request, MB. */
  idleRssMb: Record<string, number>;
  /** Per server process: RSS --settled-wait s after it was ready, still before any request, MB (absent unless asked). */
  settledRssMb?: Record<string, number>;
  /** Per server process: the peak RSS of its whole life so far (VmHWM) once this run ended, start-up included, MB. */
  lifetimePeakRssMb: Record<string, number>;
  /** Peer rows (stock-remote, hive): whether the checked answer's data equals our distributed gateway's. */
  sameDataAsDistributed?: boolean;
}

interface SizeRecord {
  size: number;
  dataset: PreparedDataset;
  listingId: { pglite?: string; postgres?: string };
  runs: RunRecord[];
  serverOutput: Record<string, string>;
  ratios: Record<string, number | null>;
}

function report(run: RunRecord): void {
  const l = run.load;
  const cpu = Object.entries(run.cpuMsPerRequest)
    .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
    .join(" + ");
  const bad = l.errors + l.timeouts + l.non2xx + l.mismatches;
  console.log(
    `    ${run.mode.padEnd(11)} ${run.query.padEnd(7)} ${l.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${l.latencyMs.p50.toFixed(2)} ms  p99 ${l.latencyMs.p99.toFixed(2)} ms  CPU ms/req ${cpu}` +
      (run.postgresCpuMsPerRequest !== null ? ` (PostgreSQL ${run.postgresCpuMsPerRequest.toFixed(2)})` : "") +
      `  machine ${run.machineBusyPct}% busy (other load ${run.otherLoadPct}%)` +
      (bad ? `  !! errors ${l.errors} timeouts ${l.timeouts} non-2xx ${l.non2xx} bad bodies ${l.mismatches}` : ""),
  );
}

async function loadQueries(
  record: SizeRecord,
  mode: Mode,
  url: string,
  kind: Target,
  listingId: string,
  processes: Record<string, number>,
  database: "pglite" | "postgres",
  target: string,
  idle: IdleRss,
): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for (const query of options.queries) {
    await check(url, query, kind, listingId);
    const measured = await measureLoad(url, requestBody(query, kind, listingId), processes, database === "postgres", headersFor(kind));
    const lifetimePeakRssMb = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, rssMb(pid)?.peak ?? NaN]));
    const run: RunRecord = { size: record.size, mode, query, target, database, sqlStatements: {}, idleRssMb: idle.idle, ...(idle.settled ? { settledRssMb: idle.settled } : {}), lifetimePeakRssMb, ...measured };
    report(run);
    runs.push(run);
    record.runs.push(run);
  }
  return runs;
}

/**
 * A server's environment: the benchmark's (harness.ts serverEnv) and MALLOC_ARENA_MAX=2, as `npm start`,
 * `npm run start:prod` and the image set it (glibc's default keeps a malloc arena per thread).
 */
function env(nodeEnv: "production" | "development", db: { DATABASE_URL: string } | { DATA_DIR: string }): Record<string, string> {
  return { ...serverEnv(nodeEnv, db), MALLOC_ARENA_MAX: "2" };
}

interface IdleRss {
  idle: Record<string, number>;
  settled?: Record<string, number>;
}

/** RSS of freshly started servers, --idle-wait (and --settled-wait) s after they were ready and before any request, MB. */
async function idleRss(processes: Record<string, number>): Promise<IdleRss> {
  const read = () => Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, rssMb(pid)?.rss ?? NaN]));
  await sleep(options.idleWaitSeconds * 1000);
  const idle = read();
  if (options.settledWaitSeconds <= options.idleWaitSeconds) return { idle };
  await sleep((options.settledWaitSeconds - options.idleWaitSeconds) * 1000);
  return { idle, settled: read() };
}

async function benchEmbeddedPglite(record: SizeRecord, dataset: PreparedDataset): Promise<void> {
  console.log(`  [${record.size}] embedded gateway on PGlite (${path.relative(repoRoot, dataset.pglite.dataDir)})`);
  const db = { DATA_DIR: dataset.pglite.dataDir };
  // SQL counts need a non-production server (x-sql-statements is never sent in production); PGlite's
  // directory is one process's at a time, so the probe server runs first, alone.
  const probe = await withServers(
    async (s) => void s.push(await startServer("gateway (development, SQL probe)", "gateway/index.ts", [], env("development", db), "/readyz")),
    async ([gw]) => {
      const listingId = await pickListing(gw!.graphqlUrl);
      return { listingId, sql: await headerSqlCounts(gw!.graphqlUrl, listingId) };
    },
  );
  record.listingId.pglite = probe.result.listingId;
  const { outputs } = await withServers(
    async (s) => void s.push(await startServer("gateway", "gateway/index.ts", [], env("production", db), "/readyz")),
    async ([gw]) => {
      const idle = await idleRss({ gateway: gw!.pid });
      const runs = await loadQueries(record, "embedded", gw!.graphqlUrl, "gateway", probe.result.listingId, { gateway: gw!.pid }, "pglite", "gateway", idle);
      for (const run of runs) run.sqlStatements = { header: probe.result.sql[run.query].steady, headerFirstRequest: probe.result.sql[run.query].first };
    },
  );
  Object.assign(record.serverOutput, prefixKeys("embedded", { ...probe.outputs, ...outputs }));
}

async function benchEmbeddedPostgres(record: SizeRecord, dataset: PreparedDataset): Promise<void> {
  console.log(`  [${record.size}] embedded gateway on PostgreSQL (${dataset.postgres.database})`);
  const db = { DATABASE_URL: dataset.postgres.url };
  const probe = await withServers(
    async (s) => void s.push(await startServer("gateway (development, SQL probe)", "gateway/index.ts", [], env("development", db), "/readyz")),
    async ([gw]) => {
      const listingId = await pickListing(gw!.graphqlUrl);
      return { listingId, sql: await headerSqlCounts(gw!.graphqlUrl, listingId) };
    },
  );
  const listingId = probe.result.listingId;
  record.listingId.postgres = listingId;
  const { outputs } = await withServers(
    async (s) => void s.push(await startServer("gateway", "gateway/index.ts", [], env("production", db), "/readyz")),
    async ([gw]) => {
      const idle = await idleRss({ gateway: gw!.pid });
      const runs = await loadQueries(record, "embedded-pg", gw!.graphqlUrl, "gateway", listingId, { gateway: gw!.pid }, "postgres", "gateway", idle);
      const dbCounts = await databaseSqlCounts(
        dataset.postgres.database,
        runs.map((r) => ({ key: r.query, url: gw!.graphqlUrl, body: requestBody(r.query, "gateway", listingId) })),
      );
      for (const run of runs) {
        run.sqlStatements = {
          header: probe.result.sql[run.query].steady,
          headerFirstRequest: probe.result.sql[run.query].first,
          database: dbCounts[run.query],
        };
      }
    },
  );
  Object.assign(record.serverOutput, prefixKeys("embedded-pg", { ...probe.outputs, ...outputs }));
}

/** The peers of the distributed gateway, started over the same subgraph processes (SUBGRAPH_URLS). */
const REMOTE_PEERS = {
  "stock-remote": { name: "stock remote gateway", script: "bench/stock-remote-gateway.ts" },
  hive: { name: "hive gateway", script: "bench/hive-gateway.ts", env: { HIVE_DEDUPLICATE_INFLIGHT: "false" } },
  "hive-dedupe": { name: "hive gateway (dedupe)", script: "bench/hive-gateway.ts", env: { HIVE_DEDUPLICATE_INFLIGHT: "true" } },
} as const satisfies Record<string, { name: string; script: string; env?: Record<string, string> }>;
type PeerMode = keyof typeof REMOTE_PEERS;
const isPeerMode = (mode: Mode): mode is PeerMode => mode in REMOTE_PEERS;
const peerModes = (): PeerMode[] => options.modes.filter(isPeerMode);
/** A peer is ready once it answers a query: its schema (supergraph) is loaded then. */
const GRAPHQL_READY = "/graphql?query=%7B__typename%7D";

/** The same data from a peer as from our gateway (b), or what differs; undefined without (b). */
async function sameData(ours: string | undefined, peer: string, query: QueryName, listingId: string): Promise<{ same: boolean; peer: string; ours: string } | undefined> {
  if (!ours) return undefined;
  const body = requestBody(query, "gateway", listingId);
  const [a, b] = await Promise.all([post(ours, body), post(peer, body)]);
  const oursData = JSON.stringify(a.json.data);
  const peerData = JSON.stringify(b.json.data);
  return { same: oursData === peerData, ours: oursData, peer: peerData };
}

/**
 * The five subgraph processes on PostgreSQL, started once, and in front of them the gateways of the
 * modes asked for: ours (b) (and the listings subgraph alone, (c)), then each peer, one after the other.
 */
async function benchDistributed(record: SizeRecord, dataset: PreparedDataset): Promise<void> {
  const wantGateway = options.modes.includes("distributed");
  const wantDirect = options.modes.includes("direct");
  const wantOurs = wantGateway || wantDirect;
  const peers = peerModes();
  const gatewayNames = [...(wantOurs ? ["our gateway"] : []), ...peers.map((m) => REMOTE_PEERS[m].name)];
  console.log(`  [${record.size}] distributed: the five subgraph processes and ${gatewayNames.join(", ")}, on PostgreSQL (${dataset.postgres.database})`);
  const db = { DATABASE_URL: dataset.postgres.url };
  const production = { ...env("production", db), REDIS_URL: options.redisUrl! };
  const { outputs } = await withServers(
    async (servers) => {
      // One after the other: each applies migrations at start (serialised by an advisory lock anyway).
      // The gateway needs every subgraph; the benchmark's queries touch users and listings only.
      for (const name of SUBGRAPH_NAMES) servers.push(await startServer(`${name} subgraph`, "subgraphs/serve.ts", [name], production, "/healthz"));
      const urls = servers.map((s) => `${s.name.split(" ")[0]}=${s.graphqlUrl}`).join(",");
      if (wantOurs) servers.push(await startServer("gateway", "gateway/index.ts", [], { ...production, SUBGRAPH_URLS: urls }, "/readyz"));
      for (const mode of peers) {
        const peer: { name: string; script: string; env?: Record<string, string> } = REMOTE_PEERS[mode];
        servers.push(await startServer(peer.name, peer.script, [], { ...production, ...peer.env, SUBGRAPH_URLS: urls }, GRAPHQL_READY));
      }
    },
    async (servers) => {
      const [users, listings, chat, search, agents] = servers;
      const subgraphs = { users: users!.pid, listings: listings!.pid, chat: chat!.pid, search: search!.pid, agents: agents!.pid };
      const ours = wantOurs ? servers[SUBGRAPH_NAMES.length] : undefined;
      const peerServers = peers.map((mode, i) => ({ mode, server: servers[SUBGRAPH_NAMES.length + (wantOurs ? 1 : 0) + i]! }));
      // Every process of the deployment, so that a row's idle and peak RSS are the whole of it (the three
      // subgraphs the queries do not reach should stay idle: their CPU per request is a check of that).
      // All gateways are read together, each before any request.
      const gatewayPids: Record<string, number> = { ...(ours ? { gateway: ours.pid } : {}), ...Object.fromEntries(peerServers.map((p) => [p.mode, p.server.pid])) };
      const idleAll = await idleRss({ ...gatewayPids, ...subgraphs });
      const idleOf = (key: string): IdleRss => {
        const pick = (mb: Record<string, number>) => ({ gateway: mb[key]!, ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, mb[n]!])) });
        return { idle: pick(idleAll.idle), ...(idleAll.settled ? { settled: pick(idleAll.settled) } : {}) };
      };
      const listingId = record.listingId.postgres ?? (await pickListing((ours ?? peerServers[0]!.server).graphqlUrl));
      record.listingId.postgres = listingId;
      const probes: { run: RunRecord; url: string; body: string; headers?: Record<string, string> }[] = [];
      if (wantGateway) {
        const processes = { gateway: ours!.pid, ...subgraphs };
        for (const run of await loadQueries(record, "distributed", ours!.graphqlUrl, "gateway", listingId, processes, "postgres", "gateway", idleOf("gateway"))) {
          probes.push({ run, url: ours!.graphqlUrl, body: requestBody(run.query, "gateway", listingId) });
        }
      }
      if (wantDirect) {
        const direct = { listings: listings!.pid, gateway: ours!.pid, users: users!.pid };
        for (const run of await loadQueries(record, "direct", listings!.graphqlUrl, "direct", listingId, direct, "postgres", "listings subgraph", idleOf("gateway"))) {
          probes.push({ run, url: listings!.graphqlUrl, body: requestBody(run.query, "direct", listingId), headers: headersFor("direct") });
        }
      }
      for (const { mode, server } of peerServers) {
        // The same answers as our gateway's, or the row measures other work.
        const answers: Partial<Record<QueryName, boolean>> = {};
        for (const query of options.queries) {
          const compared = await sameData(ours?.graphqlUrl, server.graphqlUrl, query, listingId);
          if (!compared) continue;
          answers[query] = compared.same;
          if (!compared.same) console.log(`    !! ${REMOTE_PEERS[mode].name}, ${query}: data differs from our gateway's\n      ours: ${compared.ours.slice(0, 800)}\n      peer: ${compared.peer.slice(0, 800)}`);
        }
        const processes = { gateway: server.pid, ...subgraphs };
        for (const run of await loadQueries(record, mode, server.graphqlUrl, "gateway", listingId, processes, "postgres", REMOTE_PEERS[mode].name, idleOf(mode))) {
          if (answers[run.query] !== undefined) run.sameDataAsDistributed = answers[run.query];
          probes.push({ run, url: server.graphqlUrl, body: requestBody(run.query, "gateway", listingId) });
        }
      }
      const counts = await databaseSqlCounts(
        dataset.postgres.database,
        probes.map((p, i) => ({ key: String(i), url: p.url, body: p.body, headers: p.headers })),
      );
      probes.forEach((p, i) => (p.run.sqlStatements = { database: counts[String(i)] }));
    },
  );
  Object.assign(record.serverOutput, prefixKeys("distributed", outputs));
}

/** The peer row: a stock @apollo/gateway (bench/stock-gateway.ts) over the same subgraphs and data. */
async function benchStock(record: SizeRecord, dataset: PreparedDataset, database: "pglite" | "postgres"): Promise<void> {
  const mode: Mode = database === "pglite" ? "stock" : "stock-pg";
  const db = database === "pglite" ? { DATA_DIR: dataset.pglite.dataDir } : { DATABASE_URL: dataset.postgres.url };
  console.log(`  [${record.size}] stock @apollo/gateway with LocalGraphQLDataSource on ${database === "pglite" ? "PGlite" : `PostgreSQL (${dataset.postgres.database})`}`);
  const { outputs } = await withServers(
    async (s) => void s.push(await startServer("stock gateway", "bench/stock-gateway.ts", [], env("production", db), "/graphql?query=%7B__typename%7D")),
    async ([gw]) => {
      const idle = await idleRss({ gateway: gw!.pid });
      const listingId = record.listingId[database] ?? (await pickListing(gw!.graphqlUrl));
      record.listingId[database] = listingId;
      const runs = await loadQueries(record, mode, gw!.graphqlUrl, "gateway", listingId, { gateway: gw!.pid }, database, "stock gateway", idle);
      if (database === "postgres") {
        const counts = await databaseSqlCounts(
          dataset.postgres.database,
          runs.map((r) => ({ key: r.query, url: gw!.graphqlUrl, body: requestBody(r.query, "gateway", listingId) })),
        );
        for (const run of runs) run.sqlStatements = { database: counts[run.query] };
      }
    },
  );
  Object.assign(record.serverOutput, prefixKeys(mode, outputs));
}

function prefixKeys(prefix: string, outputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [`${prefix}: ${k}`, v]));
}

function ratios(record: SizeRecord): Record<string, number | null> {
  const find = (mode: Mode, query: QueryName) => record.runs.find((r) => r.mode === mode && r.query === query);
  const out: Record<string, number | null> = {};
  const div = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? null : round2(a / b));
  for (const query of options.queries) {
    const direct = find("direct", query);
    out[`${query}: distributed gateway p50 / direct subgraph p50`] = div(find("distributed", query)?.load.latencyMs.p50, direct?.load.latencyMs.p50);
    out[`${query}: embedded-pg gateway p50 / direct subgraph p50`] = div(find("embedded-pg", query)?.load.latencyMs.p50, direct?.load.latencyMs.p50);
    out[`${query}: embedded (PGlite) req/s / distributed req/s`] = div(find("embedded", query)?.load.requestsPerSecond, find("distributed", query)?.load.requestsPerSecond);
    out[`${query}: embedded-pg req/s / distributed req/s`] = div(find("embedded-pg", query)?.load.requestsPerSecond, find("distributed", query)?.load.requestsPerSecond);
    // The peer: the same subgraphs, resolvers and database behind a stock @apollo/gateway; the process
    // CPU differs by what the gateways do around them (the database's CPU is apart on PostgreSQL).
    const cpu = (mode: Mode) => find(mode, query)?.cpuMsPerRequest.gateway;
    out[`${query}: embedded-pg gateway process CPU ms/req / stock-pg`] = div(cpu("embedded-pg"), cpu("stock-pg"));
    out[`${query}: embedded (PGlite) gateway process CPU ms/req / stock (PGlite)`] = div(cpu("embedded"), cpu("stock"));
    out[`${query}: embedded-pg req/s / stock-pg req/s`] = div(find("embedded-pg", query)?.load.requestsPerSecond, find("stock-pg", query)?.load.requestsPerSecond);
    // The distributed peers: the same subgraph processes and database behind each gateway, so a gateway
    // process's CPU is that gateway's own work (parse, validate, plan, fetch, merge, serialise).
    for (const peer of ["stock-remote", "hive", "hive-dedupe"] as const) {
      const run = find(peer, query);
      if (!run) continue;
      const dist = find("distributed", query);
      const total = (r: RunRecord | undefined) => (r ? Object.values(r.cpuMsPerRequest).reduce((a, b) => a + b, 0) : undefined);
      out[`${query}: distributed gateway's own CPU ms/req / ${peer}'s`] = div(cpu("distributed"), cpu(peer));
      out[`${query}: distributed req/s / ${peer} req/s`] = div(dist?.load.requestsPerSecond, run.load.requestsPerSecond);
      out[`${query}: distributed p50 / ${peer} p50`] = div(dist?.load.latencyMs.p50, run.load.latencyMs.p50);
      out[`${query}: distributed p99 / ${peer} p99`] = div(dist?.load.latencyMs.p99, run.load.latencyMs.p99);
      out[`${query}: distributed all node processes' CPU ms/req / ${peer}'s`] = div(total(dist), total(run));
    }
  }
  return out;
}

// ---- results files ---------------------------------------------------------------------------------------

const MODE_LABEL: Record<Mode, string> = {
  embedded: options.pgliteAnalyze ? "(a) embedded, PGlite (ANALYZEd copy)" : "(a) embedded, PGlite",
  distributed: "(b) distributed gateway",
  direct: "(c) direct listings subgraph",
  "embedded-pg": "(d) embedded, PostgreSQL",
  stock: "(e) stock @apollo/gateway, PGlite",
  "stock-pg": "(f) stock @apollo/gateway, PostgreSQL",
  "stock-remote": "(g) stock @apollo/gateway, RemoteGraphQLDataSource, over (b)'s subgraphs",
  hive: "(h) Hive Gateway over (b)'s subgraphs",
  "hive-dedupe": "(i) Hive Gateway as shipped (in-flight dedupe) over (b)'s subgraphs",
};

function sqlCell(run: RunRecord): string {
  const s = run.sqlStatements;
  const parts: string[] = [];
  if (s.header !== undefined) parts.push(`${s.header}${s.headerFirstRequest !== undefined && s.headerFirstRequest !== s.header ? ` (1st: ${s.headerFirstRequest})` : ""}`);
  if (s.database !== undefined) parts.push(`${s.header !== undefined ? "PG: " : ""}${s.database}`);
  return parts.join(" / ") || "–";
}

/** MB per process: one figure, or "gateway 250 + users 180 = 430". */
function mbCell(mb: Record<string, number>): string {
  const entries = Object.entries(mb);
  if (entries.length === 1) return String(entries[0]![1]);
  return `${entries.map(([name, v]) => `${name} ${v}`).join(" + ")} = ${entries.reduce((a, [, v]) => a + v, 0)}`;
}

function tableFor(record: SizeRecord): string {
  const rows = [
    "| mode | query | req/s | p50 ms | p97.5 ms | p99 ms | node CPU ms/req | PostgreSQL CPU ms/req | SQL stmts/req | idle RSS MB | settled idle RSS MB | peak RSS MB (load) | errors |",
    "|---|---|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|",
  ];
  const order = MODES.filter((m) => options.modes.includes(m));
  const sorted = [...record.runs].sort((a, b) => order.indexOf(a.mode) - order.indexOf(b.mode));
  for (const run of sorted) {
    const l = run.load;
    const entries = Object.entries(run.cpuMsPerRequest);
    const cpu =
      entries.length === 1
        ? entries[0]![1].toFixed(2)
        : `${entries.map(([n, v]) => `${n} ${v.toFixed(2)}`).join(" + ")} = ${entries.reduce((a, [, v]) => a + v, 0).toFixed(2)}`;
    const bad = l.errors + l.timeouts + l.non2xx + l.mismatches;
    rows.push(
      `| ${MODE_LABEL[run.mode]} | ${QUERIES[run.query].label} | ${l.requestsPerSecond.toFixed(0)} | ${l.latencyMs.p50.toFixed(2)} | ${l.latencyMs.p97_5.toFixed(2)} | ${l.latencyMs.p99.toFixed(2)} | ${cpu} | ${run.postgresCpuMsPerRequest === null ? "(in process)" : run.postgresCpuMsPerRequest.toFixed(2)} | ${sqlCell(run)} | ${mbCell(run.idleRssMb)} | ${run.settledRssMb ? mbCell(run.settledRssMb) : "–"} | ${mbCell(run.peakRssMb)} | ${bad ? `**${bad}** (err ${l.errors}, timeouts ${l.timeouts}, non-2xx ${l.non2xx}, bad body ${l.mismatches})` : "0"}${run.sameDataAsDistributed === false ? " **data differs from (b)**" : ""} |`,
    );
  }
  return rows.join("\n");
}

function markdown(meta: Meta, records: SizeRecord[]): string {
  const out: string[] = [];
  out.push(`# Gateway benchmark, ${meta.date}`);
  out.push("");
  out.push(
    `Machine: ${meta.machine.cpuModel} × ${meta.machine.cpuCount}, ${meta.machine.memoryGiB} GiB, ${meta.machine.os}; Node ${meta.node}; PostgreSQL ${meta.postgres}. ` +
      `Load: autocannon, ${meta.parameters.connections} connections, ${meta.parameters.durationSeconds} s after ${meta.parameters.warmupSeconds} s of warm-up, POST application/json, from a separate process.`,
  );
  out.push("");
  for (const record of records) {
    const ds = record.dataset;
    out.push(`## ${record.size.toLocaleString("en-US")} listings, ${ds.spec.sellers.toLocaleString("en-US")} sellers`);
    out.push("");
    out.push(`LISTING_PAGE listing: ${record.listingId.pglite ?? "–"} (PGlite), ${record.listingId.postgres ?? "–"} (PostgreSQL), the newest active car listing.`);
    out.push("");
    out.push(tableFor(record));
    out.push("");
    const r = Object.entries(record.ratios).filter(([, v]) => v !== null);
    if (r.length) {
      out.push("Ratios:");
      out.push("");
      for (const [name, value] of r) {
        const target = name.includes("distributed gateway p50") ? (value! <= 1.5 ? " (target ≤ 1.5×: met)" : " (target ≤ 1.5×: **missed**)") : "";
        out.push(`- ${name}: **${value}×**${target}`);
      }
      out.push("");
    }
    const busy = record.runs.map((run) => `${run.mode}/${run.query} ${run.machineBusyPct}% (other ${run.otherLoadPct}%)`).join(", ");
    const gen = record.runs.map((run) => `${run.mode}/${run.query} ${run.load.loadGeneratorCorePct}%`).join(", ");
    out.push(
      `Machine CPU busy during the runs (all ${meta.machine.cpuCount} cores; "other" = CPU used by processes outside this benchmark, noise): ${busy}. Load generator, share of one core: ${gen}.`,
    );
    out.push("");
    if (Object.keys(record.serverOutput).length) {
      out.push("Server output during the runs (beyond the ready line):");
      out.push("");
      out.push("```");
      for (const [name, text] of Object.entries(record.serverOutput)) out.push(`[${name}]\n${text.slice(0, 1500)}`);
      out.push("```");
      out.push("");
    }
  }
  out.push("## Data sets");
  out.push("");
  out.push("| size | PGlite | seeding PGlite s | PostgreSQL | seeding PostgreSQL s |");
  out.push("|--:|---|--:|---|--:|");
  for (const { dataset: ds } of records) {
    out.push(
      `| ${ds.spec.size} | ${path.relative(repoRoot, ds.pglite.dataDir)}${ds.pglite.reused ? " (cached)" : ""} | ${ds.pglite.seedSeconds ?? "–"} | ${ds.postgres.database}${ds.postgres.reused ? " (cached)" : ""} | ${ds.postgres.seedSeconds ?? "–"} |`,
    );
  }
  out.push("");
  out.push("## Method");
  out.push("");
  out.push(
    [
      "- Modes: (a) `gateway/index.ts` in embedded mode on the PGlite data dir; (b) `subgraphs/serve.ts <name>` for each of the five subgraphs and `gateway/index.ts` with `SUBGRAPH_URLS`, on PostgreSQL (RSS and CPU of all six processes; the queries reach users and listings only); (c) the listings subgraph process of (b) queried at its own URL, with `seller { id }` only (the fields it does not own removed, as is `listingCount`); (d) `gateway/index.ts` in embedded mode on the same PostgreSQL database.",
      "- (g) bench/stock-remote-gateway.ts: ApolloServer + startStandaloneServer + @apollo/gateway with RemoteGraphQLDataSource, over (b)'s five subgraph processes (gateway/compose.ts's supergraph), adding only the `x-gateway-secret` header the subgraphs require; no limits, rate limiter, auth, metrics or cache. (h) bench/hive-gateway.ts: Hive Gateway (@graphql-hive/gateway-runtime, createGatewayRuntime on node:http) over the same processes, with @apollo/composition's supergraph of the same SDL, the same `x-gateway-secret` header on every subgraph request and the client's `authorization` forwarded (as tests/hive-interop.test.ts). One Hive default is turned off in (h): its sharing of one subgraph request among identical queries in flight at the same time (@graphql-tools/executor-http's deduplicateInflightRequests; our gateway sends every request, and under a load of one repeated query it would spare the subgraphs most of the work); (i) is Hive as shipped, with it. Hive's defaults otherwise: no response cache (responseCaching unset, as RESPONSE_CACHE_MAX_BYTES=0 in our rows), GraphQL Yoga's parse/validation cache on (@apollo/gateway caches documents and query plans as well), request ids on, errors masked, no inbound request deduplication, no limits, rate limiter, auth or metrics, subgraph requests over node:http (@whatwg-node/node-fetch). (b), (g) and (h) run side by side on the same subgraph processes, all gateways started at once and idle while another is measured, one after the other in that order; each row's RSS and CPU are its gateway's plus the five subgraphs'. Before (g) and (h) are loaded, each query's data is compared with (b)'s answer (JSON equal), a mismatch is marked in the errors column.",
      `- Servers run as: ${runtimeLabel()}. (e)/(f): bench/stock-gateway.ts — ApolloServer + startStandaloneServer + @apollo/gateway with one LocalGraphQLDataSource per subgraph over the same subgraph schemas, resolvers and database, without our limits, rate limiter, auth, metrics or cache; each subgraph still gets its own per-request context (DataLoaders).`,
      `- RSS (VmRSS of /proc/<pid>/status): idle = ${options.idleWaitSeconds} s after the production server was ready, before any request (the data set already exists: no seeding); settled idle = ${options.settledWaitSeconds > options.idleWaitSeconds ? `${options.settledWaitSeconds} s after ready, still before any request (by then V8's memory reducer has shrunk the young generation that start-up grew)` : "not measured (--settled-wait)"}; peak (load) = the highest value sampled every 200 ms over the warm-up and the measured load of that row; the JSON also has each process's lifetime peak (VmHWM) after the row. MALLOC_ARENA_MAX=2 in every server, as \`npm start\` and \`npm run start:prod\` set it.`,
      "- Every server is its own child process with NODE_ENV=production, LOG_LEVEL=warn, DEMO_DATA=false, a fixed JWT_SECRET, HOST=127.0.0.1, and APOLLO_TELEMETRY_DISABLED=true (else @apollo/gateway probes cloud metadata endpoints at start and exports usage metrics to apollographql.com).",
      "- Rate limits: RATE_LIMIT_REQUESTS_PER_MINUTE and RATE_LIMIT_MUTATIONS_PER_MINUTE = 1,000,000,000 in every process. The default (600 requests a minute per client IP) would refuse a load test from 127.0.0.1 within its first second; with this budget the limiter still runs and counts every request (its CPU is in the figures) but never refuses. The other protections (operation limits, per-request deadline and object cap, security headers, CORS) run with their defaults.",
      "- (c) sends the `x-gateway-secret` header the gateway sends (lib/auth/subgraph-secret.ts, derived from the benchmark's JWT_SECRET): a subgraph process refuses any request without it.",
      "- Each query is checked once (data, no errors) before its load; during the load every body is checked too (`{\"data\":{…` without `\"errors\"`), failures are listed under errors.",
      "- req/s: autocannon's mean of 1-second samples. Latencies: exact percentiles of every 2xx response time recorded by the load worker (autocannon's own histogram has 1 ms resolution; its values are in the JSON).",
      `- node CPU ms/req: utime+stime of each server process from /proc/<pid>/stat (CLK_TCK ${CLK_TCK}) over the measured run, divided by the completed requests. In (a) the database (PGlite, WebAssembly) runs inside the gateway process, so its CPU is in that figure; in (b)–(d) PostgreSQL's CPU is the separate column (every postgres process, plus reaped backends). In (c) the gateway and users processes are listed too: they should be idle.`,
      "- SQL stmts/req, embedded modes: the `x-sql-statements` header. It is never sent when NODE_ENV=production (lib/env.ts: EXPOSE_SQL_COUNT = !isProduction && (EXPOSE_SQL_COUNT ?? true)), so a separate gateway with NODE_ENV=development is started on the same data before the production one, and the second request of each query is read (the first, when different, in parentheses). In production the counter is off too (it rides on AsyncLocalStorage, whose promise hooks cost CPU).",
      `- SQL stmts/req, PostgreSQL modes ("PG:" in (d)): counted by PostgreSQL: growth of pg_stat_database.xact_commit+xact_rollback−sessions (a new connection commits one startup transaction) of the bench database over ${options.sqlProbeRequests} sequential requests, divided by their number, after ${options.statsWaitSeconds} s waits so that idle backends publish their counters. Every statement outside an explicit transaction is one transaction, so this counts the statements of all processes, gateway and subgraphs, which the gateway's header cannot do in distributed mode. The listings subgraph's expiry sweep (one UPDATE a minute) can add ≈ 1/N.`,
      "- On 2 cores the load generator, the node processes and PostgreSQL compete for the CPU: see the machine CPU figures; distributed mode pays for its extra processes in CPU as much as in latency.",
      `- ${quietMethod()} CPU probe (100 M iterations of a JavaScript loop, lower is faster): ${meta.cpuProbeMs.start} ms at the start, ${meta.cpuProbeMs.end ?? "–"} ms at the end.`,
      "- Data: seedDemoData (prisma/seed/seed.ts) with sellers = size/10 (≤ 10,000), listings = size, seed 2026, cached under bench/.data and in piata_bench_<size>. PostgreSQL gets a VACUUM ANALYZE after seeding; PGlite is used as the app leaves it.",
    ].join("\n"),
  );
  out.push("");
  return out.join("\n");
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: options.pgUrl });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

async function buildMeta(): Promise<Meta> {
  const pglitePkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string };
  const suiteParameters =
    options.suite === "protections"
      ? { suite: "protections", ...protectionOptions, load: undefined, queries: options.queries }
      : {
          suite: "modes",
          modes: options.modes,
          queries: options.queries,
          sqlProbeRequests: options.sqlProbeRequests,
          statsWaitSeconds: options.statsWaitSeconds,
          nodeEnv: "production (SQL header probe: development)",
          pgliteAnalyzed: options.pgliteAnalyze,
          runtime: options.runtime,
          idleWaitSeconds: options.idleWaitSeconds,
        };
  return {
    date: localDate(),
    git: gitState(),
    cpuProbeMs: { start: cpuProbeMs() },
    startedAt: new Date().toISOString(),
    machine: {
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      cpuCount: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    },
    node: process.version,
    postgres: await postgresVersion(),
    pglite: pglitePkg.version,
    parameters: {
      sizes: options.sizes,
      durationSeconds: options.durationSeconds,
      connections: options.connections,
      warmupSeconds: options.warmupSeconds,
      ...suiteParameters,
      queriesText: Object.fromEntries(Object.entries(QUERIES).map(([k, q]) => [k, { gateway: q.gateway, direct: q.direct }])),
    },
  };
}

// ---- main ------------------------------------------------------------------------------------------------

async function prepare(size: number, backends: { pglite: boolean; postgres: boolean }): Promise<PreparedDataset> {
  console.log(`[${size}] preparing data sets`);
  const started = performance.now();
  const dataset = await prepareDataset(size, options.pgUrl, log, { ...backends, pgliteAnalyzed: options.pgliteAnalyze });
  const describe = (label: string, d: { reused: boolean; seedSeconds: number | null }) =>
    `${label} ${d.reused ? `cached${d.seedSeconds !== null ? ` (seeded in ${d.seedSeconds} s)` : ""}` : `seeded in ${d.seedSeconds} s`}`;
  console.log(
    `[${size}] data ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      [backends.pglite ? describe("PGlite", dataset.pglite) : "", backends.postgres ? describe("PostgreSQL", dataset.postgres) : ""].filter(Boolean).join(", "),
  );
  return dataset;
}

async function benchmark(): Promise<void> {
  const meta = await buildMeta();
  console.log(
    `gateway benchmark: sizes ${options.sizes.join(", ")}; ${options.durationSeconds} s per run after ${options.warmupSeconds} s warm-up; ${options.connections} connections; modes ${options.modes.join(", ")}`,
  );
  const needsPg = options.modes.some((m) => m !== "embedded" && m !== "stock");
  const needsPglite = options.modes.includes("embedded") || options.modes.includes("stock");
  if (options.runtime === "prod") {
    const dist = argv.dist ? path.resolve(argv.dist) : buildForBench();
    buildPeers(dist, [...new Set(peerModes().map((mode) => REMOTE_PEERS[mode].script))]);
    useBuild(dist);
  }
  const records: SizeRecord[] = [];
  const datasets = new Map<number, PreparedDataset>();
  for (const size of options.sizes) datasets.set(size, await prepare(size, { pglite: needsPglite, postgres: needsPg }));

  const benchStarted = performance.now();
  for (const size of options.sizes) {
    const dataset = datasets.get(size)!;
    const record: SizeRecord = { size, dataset, listingId: {}, runs: [], serverOutput: {}, ratios: {} };
    records.push(record);
    if (options.modes.includes("embedded")) await benchEmbeddedPglite(record, dataset);
    if (options.modes.includes("stock")) await benchStock(record, dataset, "pglite");
    if (options.modes.includes("embedded-pg")) await benchEmbeddedPostgres(record, dataset);
    if (options.modes.includes("stock-pg")) await benchStock(record, dataset, "postgres");
    if (options.modes.some((m) => m === "distributed" || m === "direct" || isPeerMode(m))) await benchDistributed(record, dataset);
    record.ratios = ratios(record);
  }
  meta.finishedAt = new Date().toISOString();
  meta.cpuProbeMs.end = cpuProbeMs();
  const benchSeconds = Math.round((performance.now() - benchStarted) / 1000);

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const base = path.join(RESULTS_DIR, options.out ?? `gateway-${meta.date}`);
  const md = markdown(meta, records);
  fs.writeFileSync(`${base}.md`, md);
  const json = {
    ...meta,
    benchSeconds,
    sizes: records.map((r) => ({
      size: r.size,
      dataset: { ...r.dataset, pglite: { ...r.dataset.pglite, dataDir: path.relative(repoRoot, r.dataset.pglite.dataDir) } },
      listingId: r.listingId,
      ratios: r.ratios,
      runs: r.runs,
      serverOutput: r.serverOutput,
    })),
  };
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\n${md}`);
  console.log(`benchmark runs took ${benchSeconds} s (after data preparation)`);
  console.log(`results: ${path.relative(repoRoot, base)}.md, ${path.relative(repoRoot, base)}.json`);
}

async function protections(): Promise<void> {
  const meta = await buildMeta();
  const dbs = protectionOptions.databases;
  console.log(
    `protections benchmark: sizes ${options.sizes.join(", ")}; parts ${protectionOptions.parts.join(", ")}; databases ${dbs.join(", ")}; ` +
      `${options.durationSeconds} s per run after ${options.warmupSeconds} s warm-up; ${options.connections} connections`,
  );
  const datasets: PreparedDataset[] = [];
  for (const size of options.sizes) datasets.push(await prepare(size, { pglite: dbs.includes("pglite"), postgres: dbs.includes("postgres") }));
  const benchStarted = performance.now();
  // Sets meta.finishedAt and the closing CPU probe itself: the markdown shows them.
  const { markdown: md, json } = await benchProtections(protectionOptions, meta, datasets);
  const benchSeconds = Math.round((performance.now() - benchStarted) / 1000);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const base = path.join(RESULTS_DIR, options.out ?? `gateway-${meta.date}-protections`);
  fs.writeFileSync(`${base}.md`, md);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify({ ...meta, benchSeconds, ...json }, null, 2)}\n`);
  console.log(`\n${md}`);
  console.log(`benchmark runs took ${benchSeconds} s (after data preparation)`);
  console.log(`results: ${path.relative(repoRoot, base)}.md, ${path.relative(repoRoot, base)}.json`);
}

async function profile(): Promise<void> {
  fs.mkdirSync(PROFILES_DIR, { recursive: true });
  const query = options.profileQuery;
  for (const size of options.sizes) {
    const dataset = await prepare(size, { pglite: options.profileDb === "pglite", postgres: options.profileDb === "postgres" });
    const db = options.profileDb === "pglite" ? { DATA_DIR: dataset.pglite.dataDir } : { DATABASE_URL: dataset.postgres.url };
    console.log(`  [${size}] profiling the embedded gateway on ${options.profileDb} under ${QUERIES[query].label} load`);
    const before = new Set(fs.readdirSync(PROFILES_DIR));
    let pid = 0;
    const { result } = await withServers(
      async (s) =>
        void s.push(
          await startServer("gateway (--cpu-prof)", "gateway/index.ts", [], serverEnv("production", db), "/readyz", ["--cpu-prof", "--cpu-prof-dir", PROFILES_DIR]),
        ),
      async ([gw]) => {
        pid = gw!.pid;
        const listingId = query === "listing" ? await pickListing(gw!.graphqlUrl) : "";
        await check(gw!.graphqlUrl, query, "gateway", listingId);
        const measured = await measureLoad(gw!.graphqlUrl, requestBody(query, "gateway", listingId), { gateway: gw!.pid }, options.profileDb === "postgres");
        return measured;
      },
    );
    console.log(
      `    under the profiler: ${result.load.requestsPerSecond.toFixed(0)} req/s, p50 ${result.load.latencyMs.p50} ms, ${result.cpuMsPerRequest.gateway} CPU ms/req`,
    );
    // The gateway writes its profile when it exits (SIGTERM → graceful stop → exit); main thread = thread 0.
    const written = fs.readdirSync(PROFILES_DIR).filter((f) => !before.has(f) && f.endsWith(".cpuprofile"));
    const main = written.find((f) => f.includes(`.${pid}.0.`)) ?? written[0];
    if (!main) throw new Error(`no .cpuprofile written in ${PROFILES_DIR}`);
    const name = `gateway-${localDate()}-${options.profileDb}-${size}-${query}`;
    const target = path.join(PROFILES_DIR, `${name}.cpuprofile`);
    fs.renameSync(path.join(PROFILES_DIR, main), target);
    for (const other of written) if (other !== main) fs.rmSync(path.join(PROFILES_DIR, other), { force: true });
    const summary = formatSummary(summarize(readProfile(target), 25));
    const header = `embedded gateway on ${options.profileDb}, ${size} listings, ${QUERIES[query].label}, ${options.connections} connections, ${options.durationSeconds} s (+${options.warmupSeconds} s warm-up): ${result.load.requestsPerSecond.toFixed(0)} req/s under the profiler`;
    fs.writeFileSync(path.join(PROFILES_DIR, `${name}.top.txt`), `${header}\n\n${summary}\n`);
    console.log(`\n${header}\n${path.relative(repoRoot, target)}\n\n${summary}\n`);
  }
}

try {
  if (!fs.existsSync(DATA_ROOT)) fs.mkdirSync(DATA_ROOT, { recursive: true });
  await (options.profile ? profile() : options.suite === "protections" ? protections() : benchmark());
  await stopAllChildren(5_000);
  process.exit(0);
} catch (error) {
  const cause = (error as Error).cause;
  console.error(`\nbenchmark failed: ${(error as Error).stack ?? String(error)}${cause ? `\ncause: ${String((cause as Error).stack ?? cause)}` : ""}`);
  await stopAllChildren(5_000);
  process.exit(1);
}
