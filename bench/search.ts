/**
 * Search benchmark: `npm run bench:search -- [options]`
 *
 *   --sizes 100000,1000000  data set sizes (listings; sellers = size / 10, at most 10,000)
 *   --parts pglite,postgres,explain
 *       pglite    (sizes ≤ --pglite-max-size) the embedded gateway on PGlite, then SearchService in
 *                 process on the same data dir (bench/search-service.ts: PGlite's data dir is one
 *                 process's, so there is no search subgraph process to call; this is its "subgraph" figure)
 *       postgres  the embedded gateway on PostgreSQL, and a search subgraph process (`subgraphs/serve.ts
 *                 search`, GATEWAY_URL = that gateway, for the category catalog) called at its own URL;
 *                 for each kind and client count the two are measured one right after the other
 *       explain   EXPLAIN (ANALYZE, BUFFERS) of every statement each kind makes (PostgreSQL; and PGlite
 *                 at sizes ≤ --pglite-max-size), the SQL recorded from search-sql.ts's builders
 *   --kinds word,word+cat,…  (bench/search-queries.ts; default: all)
 *   --clients 1,16          concurrent clients (connections of the load generator)
 *   --requests 300          measured requests per suggest cell (kind × target × clients), after --warmup
 *   --requests-large 100    the same for sizes above 100,000
 *   --search-requests 30    measured requests per search cell on PostgreSQL (searches take 0.1–1 s here)
 *   --search-requests-pglite 16   the same on PGlite
 *   --search-requests-large 8     the same above 100,000 listings
 *   --search-clients-large 1      client counts of search cells above 100,000 listings
 *   --search-clients-pglite 1     client counts of search cells on PGlite (16 searches queued on its one
 *                                 connection all pass the gateway's 10 s execution deadline at 100,000)
 *   (a cell never has fewer requests than clients)
 *   --warmup 30             unmeasured requests before each kind's first cell on a target
 *   --process-warmup 200    unmeasured searches before the first search cell on a server, every search kind
 *                           run taking turns (V8's JIT: a fresh process's first kind measured paid for it)
 *   --pglite-max-size 100000
 *   --bulk / --no-bulk      new data sets loaded with the Listing triggers off, then search_rebuild()
 *                           (bench/datasets.ts; default on: the per-row triggers make a million slow)
 *   --pg-url postgres://postgres@127.0.0.1:5432/postgres   --redis-url redis://127.0.0.1:6379
 *   --out search-<YYYY-MM-DD>   results: bench/results/<out>.md and .json
 *   --quiet-wait 15 --quiet-threshold 25 --quiet-budget 300   (bench/harness.ts: waits for a quieter machine)
 *   --deadline-ms <n>       the gateways' EXECUTION_DEADLINE_MS (and SUBGRAPH_TIMEOUT_MS); default: the product's
 *                           (10 s), past which a search answers DEADLINE_EXCEEDED (counted as an error)
 *   --background off        the servers' background work off (bench/search-background.ts: agents' queue
 *                           workers, moderation, chat scan, imports), as bench/search-profile.ts runs them;
 *                           default on (the product's defaults: their CPU falls in the cells' figures)
 *   --counts kept           the in-process SearchService (explain, PGlite's "service" cells) keeps counts
 *                           as the subgraph does (default); `each`: counted with the page in one
 *                           statement every time (a service without purges), to compare the statements
 *   --render bench/results/<name>.json   only write <name>.md again from a results JSON
 *
 * Every server is its own child process, NODE_ENV=production, on 127.0.0.1, rate limits out of reach;
 * the load comes from bench/search-load.ts in this process (a fixed number of requests, exact latencies).
 * CPU per request: each server process from /proc, and the PostgreSQL backends of the data set's
 * database (not the machine's other databases: others run tests meanwhile).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createLogger } from "../lib/logger.ts";
import { prepareDataset, repoRoot, type PreparedDataset } from "./datasets.ts";
import {
  cpuProbeMs,
  gitState,
  localDate,
  machineTicks,
  processCpuMs,
  quietMethod,
  serverEnv,
  setQuietWait,
  startServer,
  stopAllChildren,
  track,
  waitForQuiet,
  withServers,
  CLK_TCK,
  type Quiet,
  type Server,
} from "./harness.ts";
import { BACKGROUND_OFF } from "./search-background.ts";
import { httpLoad } from "./search-load.ts";
import { DIRECT_HEADERS } from "./operations.ts";
import { checkKind, KIND_NAMES, KINDS, requestBodies, type Answer, type HttpTarget, type KindName, type SearchKind } from "./search-queries.ts";
import type { ExplainedStatement, ServiceCell, ServiceCellResult, ServiceResult, ServiceSpec } from "./search-service.ts";
import { cpuBetween, cpuByPid, percentiles, type Percentiles } from "./search-stats.ts";

const PARTS = ["pglite", "postgres", "explain"] as const;
type Part = (typeof PARTS)[number];

const { values: argv } = parseArgs({
  options: {
    sizes: { type: "string", default: "100000,1000000" },
    parts: { type: "string", default: PARTS.join(",") },
    kinds: { type: "string", default: KIND_NAMES.join(",") },
    clients: { type: "string", default: "1,16" },
    requests: { type: "string", default: "300" },
    "requests-large": { type: "string", default: "100" },
    "search-requests": { type: "string", default: "30" },
    "search-requests-pglite": { type: "string", default: "16" },
    "search-requests-large": { type: "string", default: "8" },
    "search-clients-large": { type: "string", default: "1" },
    "search-clients-pglite": { type: "string", default: "1" },
    warmup: { type: "string", default: "30" },
    "process-warmup": { type: "string", default: "200" },
    "pglite-max-size": { type: "string", default: "100000" },
    bulk: { type: "boolean", default: true },
    "no-bulk": { type: "boolean", default: false },
    "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    "redis-url": { type: "string", default: "redis://127.0.0.1:6379" },
    out: { type: "string" },
    "quiet-wait": { type: "string", default: "15" },
    "quiet-threshold": { type: "string", default: "25" },
    "quiet-budget": { type: "string", default: "300" },
    render: { type: "string" },
    counts: { type: "string", default: "kept" },
    "deadline-ms": { type: "string" },
    background: { type: "string", default: "on" },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});

if (argv.help) {
  const header = fs.readFileSync(new URL(import.meta.url), "utf8").split("*/")[0]!;
  console.log(header.replace(/^\/\*\*\n?|^ \* ?/gm, ""));
  process.exit(0);
}

function int(name: string, raw: string, min = 0): number {
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
  sizes: argv.sizes.split(",").map((s) => int("sizes", s.trim(), 10)),
  parts: listOf("parts", argv.parts, PARTS),
  kinds: listOf("kinds", argv.kinds, KIND_NAMES),
  clients: argv.clients.split(",").map((s) => int("clients", s.trim(), 1)),
  requests: int("requests", argv.requests, 1),
  requestsLarge: int("requests-large", argv["requests-large"], 1),
  searchRequests: int("search-requests", argv["search-requests"], 1),
  searchRequestsPglite: int("search-requests-pglite", argv["search-requests-pglite"], 1),
  searchRequestsLarge: int("search-requests-large", argv["search-requests-large"], 1),
  searchClientsLarge: argv["search-clients-large"].split(",").map((s) => int("search-clients-large", s.trim(), 1)),
  searchClientsPglite: argv["search-clients-pglite"].split(",").map((s) => int("search-clients-pglite", s.trim(), 1)),
  warmup: int("warmup", argv.warmup),
  processWarmup: int("process-warmup", argv["process-warmup"]),
  pgliteMaxSize: int("pglite-max-size", argv["pglite-max-size"]),
  bulk: argv.bulk && !argv["no-bulk"],
  pgUrl: argv["pg-url"],
  redisUrl: argv["redis-url"],
  out: argv.out ?? `search-${localDate()}`,
  quietWait: int("quiet-wait", argv["quiet-wait"]),
  quietThreshold: int("quiet-threshold", argv["quiet-threshold"]),
  quietBudget: int("quiet-budget", argv["quiet-budget"]),
  counts: listOf("counts", argv.counts, ["kept", "each"] as const)[0] ?? "kept",
  deadlineMs: argv["deadline-ms"] === undefined ? null : int("deadline-ms", argv["deadline-ms"], 10),
  background: listOf("background", argv.background, ["on", "off"] as const)[0] ?? "on",
};
if (!/^[\w.-]+$/.test(options.out)) throw new Error(`--out must be a plain file name, got "${options.out}"`);
for (const url of [options.pgUrl, options.redisUrl]) {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost") throw new Error(`${url} must point at 127.0.0.1`);
}
setQuietWait(options.quietWait, options.quietThreshold, options.quietBudget);

const RESULTS_DIR = path.join(repoRoot, "bench/results");
const log = createLogger({ LOG_LEVEL: "warn" }, "bench-search");
let kinds = KINDS.filter((k) => options.kinds.includes(k.name));
function requestsFor(size: number, backend: "pglite" | "postgres", kind: SearchKind, clients: number): number {
  const n =
    kind.family === "suggest"
      ? size > 100_000
        ? options.requestsLarge
        : options.requests
      : size > 100_000
        ? options.searchRequestsLarge
        : backend === "pglite"
          ? options.searchRequestsPglite
          : options.searchRequests;
  return Math.max(n, clients);
}

/** Searches warm up with a few requests (each takes long enough to warm the caches), completions with --warmup. */
function warmupFor(kind: SearchKind): number {
  return kind.family === "search" ? Math.min(options.warmup, 3) : options.warmup;
}

/** The client counts a kind is measured at on a data set of this size. */
function clientsFor(size: number, kind: SearchKind, backend: Backend): number[] {
  if (kind.family !== "search") return options.clients;
  if (size > 100_000) return options.searchClientsLarge;
  return backend === "pglite" ? options.searchClientsPglite : options.clients;
}
const r2 = (n: number) => Math.round(n * 100) / 100;

// ---- records ------------------------------------------------------------------------------------------

type Backend = "pglite" | "postgres";
/** gateway: the public API (embedded gateway); subgraph: the search subgraph process; service: SearchService in process. */
type Target = HttpTarget | "service";

interface Cell {
  size: number;
  backend: Backend;
  target: Target;
  kind: KindName;
  clients: number;
  requests: number;
  latencyMs: Percentiles;
  requestsPerSecond: number;
  /** Per process: the server the load went to (gateway, search) or the in-process service. */
  cpuMsPerRequest: Record<string, number>;
  /** The PostgreSQL backends of the data set's database (null on PGlite: its CPU is the process's). */
  databaseCpuMsPerRequest: number | null;
  machineBusyPct: number | null;
  otherLoadPct: number | null;
  quietBefore: Quiet | null;
  errors: number;
  firstError?: string;
  answer?: Answer;
  /** When its measured requests began (ISO): a slow cell is read against the servers' periodic work (bench/search-spikes.ts). */
  startedAt?: string;
}

interface ExplainRecord {
  size: number;
  backend: Backend;
  kinds: Record<string, ExplainedStatement[]>;
}

interface SizeRecord {
  size: number;
  dataset: PreparedDataset;
  prepareSeconds: number;
  serverOutput: Record<string, string>;
}

/** The servers' environment: production, rate limits out of reach, --deadline-ms when given, --background. */
function envFor(db: { DATABASE_URL: string } | { DATA_DIR: string }): Record<string, string> {
  const deadline: Record<string, string> =
    options.deadlineMs === null ? {} : { EXECUTION_DEADLINE_MS: String(options.deadlineMs), SUBGRAPH_TIMEOUT_MS: String(options.deadlineMs) };
  return { ...serverEnv("production", db), ...deadline, ...(options.background === "off" ? BACKGROUND_OFF : {}) };
}

/** A kind that failed its check (e.g. past the execution deadline): recorded, its cells skipped. */
interface Failure {
  size: number;
  backend: string;
  target: string;
  kind: string;
  error: string;
}

interface Results {
  failures?: Failure[];
  meta: Record<string, unknown> & { cpuProbeMs: { start: number; end?: number }; startedAt: string; finishedAt?: string };
  sizes: SizeRecord[];
  cells: Cell[];
  explain: ExplainRecord[];
  partsDone: string[];
}

// ---- HTTP cells -----------------------------------------------------------------------------------------

async function databasePids(database: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: options.pgUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [database]);
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

const warmedUrls = new Set<string>();

/** --process-warmup searches at one client, the search kinds run taking turns. */
async function warmProcess(url: string, target: HttpTarget, headers: Record<string, string>): Promise<void> {
  const searchKinds = kinds.filter((k) => k.family === "search");
  const bodies = searchKinds.map((k) => requestBodies(k, target));
  for (let sent = 0, turn = 0; sent < options.processWarmup; turn++) {
    const n = Math.min(10, options.processWarmup - sent);
    await httpLoad(url, bodies[turn % bodies.length]!, headers, 1, n);
    sent += n;
  }
}

/** One cell over HTTP: a warm-up (the kind's first cell on a target), then `requests` requests, `clients` at a time. */
async function httpCell(
  base: { size: number; backend: Backend; target: HttpTarget; kind: SearchKind; clients: number },
  url: string,
  processes: Record<string, number>,
  database: string | null,
  warm: boolean,
): Promise<Cell> {
  const requests = requestsFor(base.size, base.backend, base.kind, base.clients);
  const headers = base.target === "subgraph" ? DIRECT_HEADERS : {};
  const body = requestBodies(base.kind, base.target);
  if (warm && warmupFor(base.kind) > 0) await httpLoad(url, body, headers, base.clients, Math.max(warmupFor(base.kind), base.clients));
  // A server's first searches also warm its code (V8's JIT): the first search kind measured on it paid
  // for that (word's gateway process CPU 9.25 ms per request, typo's 3.75 with the same statements, in
  // search-2026-12-03-h51-rerun). --warmup searches of that kind alone were not enough: the first kind
  // still cost the gateway 4.5–5.0 ms per request against 2.7–3.3 measured later, its p50 2–5 ms higher
  // (search-2026-12-03-h57-now-a, -now-noword). So the first search cell on a URL warms it with
  // --process-warmup searches of every kind run, taking turns: a long-running server's steady state.
  if (base.kind.family === "search" && !warmedUrls.has(url)) {
    warmedUrls.add(url);
    await warmProcess(url, base.target, headers);
  }
  const quiet = await waitForQuiet(processes);
  const cpuBefore = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, processCpuMs(pid)]));
  const dbBefore = database ? cpuByPid(await databasePids(database)) : null;
  const machineBefore = machineTicks();
  const startedAt = new Date().toISOString();
  const load = await httpLoad(url, body, headers, base.clients, requests);
  const machineAfter = machineTicks();
  const dbMs = dbBefore && database ? cpuBetween(dbBefore, cpuByPid(await databasePids(database))) : null;
  const n = Math.max(1, load.latencies.length + load.errors);
  const cpuMsPerRequest: Record<string, number> = {};
  let oursMs = load.clientCpuMs + (dbMs ?? 0);
  for (const [name, pid] of Object.entries(processes)) {
    const used = processCpuMs(pid) - cpuBefore[name]!;
    oursMs += used;
    cpuMsPerRequest[name] = Math.round((used / n) * 1000) / 1000;
  }
  const totalMs = ((machineAfter.total - machineBefore.total) * 1000) / CLK_TCK;
  const busyMs = ((machineAfter.busy - machineBefore.busy) * 1000) / CLK_TCK;
  const cell: Cell = {
    size: base.size,
    backend: base.backend,
    target: base.target,
    kind: base.kind.name,
    clients: base.clients,
    requests,
    startedAt,
    latencyMs: percentiles(load.latencies),
    requestsPerSecond: r2((load.latencies.length / load.wallMs) * 1000),
    cpuMsPerRequest,
    databaseCpuMsPerRequest: dbMs === null ? null : Math.round((dbMs / n) * 1000) / 1000,
    machineBusyPct: Math.round((busyMs / Math.max(1, totalMs)) * 100),
    otherLoadPct: Math.max(0, Math.round(((busyMs - oursMs) / Math.max(1, totalMs)) * 100)),
    quietBefore: quiet,
    errors: load.errors,
    ...(load.firstError ? { firstError: load.firstError } : {}),
  };
  report(cell);
  return cell;
}

function report(cell: Cell): void {
  const l = cell.latencyMs;
  const cpu = Object.entries(cell.cpuMsPerRequest)
    .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
    .join(" + ");
  console.log(
    `    ${cell.target.padEnd(8)} ${cell.kind.padEnd(14)} ×${String(cell.clients).padStart(2)}  p50 ${l.p50.toFixed(1)}  p95 ${l.p95.toFixed(1)}  p99 ${l.p99.toFixed(1)} ms  ` +
      `${cell.requestsPerSecond.toFixed(0)} req/s  CPU ms/req ${cpu}${cell.databaseCpuMsPerRequest !== null ? ` + db ${cell.databaseCpuMsPerRequest.toFixed(2)}` : ""}` +
      (cell.otherLoadPct !== null ? `  (other load ${cell.otherLoadPct}%)` : "") +
      (cell.errors ? `  !! ${cell.errors} errors` : ""),
  );
}

// ---- the in-process service child ------------------------------------------------------------------------

function runService(spec: ServiceSpec): Promise<ServiceResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "piata-bench-search-"));
  const file = path.join(dir, "spec.json");
  fs.writeFileSync(file, JSON.stringify(spec));
  return new Promise<ServiceResult>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "bench/search-service.ts"), `@${file}`], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    track(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      process.stdout.write(c);
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`search-service exited with ${code}:\n${stderr.slice(-3000)}`));
      try {
        resolve(JSON.parse(stdout.trim().split("\n").pop()!) as ServiceResult);
      } catch (error) {
        reject(new Error(`search-service printed no result (${(error as Error).message}):\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
      }
    });
  }).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}

async function serviceCells(size: number, backend: Backend, db: ServiceSpec["db"]): Promise<Cell[]> {
  const cells: ServiceCell[] = kinds.flatMap((k) =>
    clientsFor(size, k, backend).map((clients, i) => ({ kind: k.name, clients, requests: requestsFor(size, backend, k, clients), warmup: i === 0 ? warmupFor(k) : 0 })),
  );
  const machineBefore = machineTicks();
  const result = await runService({ db, mode: "load", cells, counts: options.counts });
  const machineAfter = machineTicks();
  const busy = Math.round(((machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total)) * 100);
  return result.cells!.map((c: ServiceCellResult) => ({
    size,
    backend,
    target: "service",
    kind: c.kind,
    clients: c.clients,
    requests: c.requests,
    latencyMs: c.latencyMs,
    requestsPerSecond: c.requestsPerSecond,
    cpuMsPerRequest: { service: c.processCpuMsPerRequest },
    databaseCpuMsPerRequest: c.databaseCpuMsPerRequest,
    machineBusyPct: busy,
    otherLoadPct: null,
    quietBefore: null,
    errors: c.errors,
  }));
}

// ---- parts -------------------------------------------------------------------------------------------------

async function partPglite(record: SizeRecord, results: Results): Promise<void> {
  const db = { DATA_DIR: record.dataset.pglite.dataDir };
  console.log(`  [${record.size}] embedded gateway on PGlite (${path.relative(repoRoot, db.DATA_DIR)})`);
  const { outputs } = await withServers(
    async (s) => void s.push(await startServer("gateway", "gateway/index.ts", [], envFor(db), "/readyz")),
    async ([gw]) => {
      for (const kind of kinds) {
        const answer = await checked(results, { size: record.size, backend: "pglite", target: "gateway", kind: kind.name }, () => checkKind(gw!.graphqlUrl, kind, "gateway"));
        if (!answer) continue;
        for (const [i, clients] of clientsFor(record.size, kind, "pglite").entries()) {
          const cell = await httpCell({ size: record.size, backend: "pglite", target: "gateway", kind, clients }, gw!.graphqlUrl, { gateway: gw!.pid }, null, i === 0);
          cell.answer = answer;
          results.cells.push(cell);
        }
      }
    },
  );
  Object.assign(record.serverOutput, prefixKeys("pglite", outputs));
  console.log(`  [${record.size}] SearchService in process on PGlite`);
  results.cells.push(...(await serviceCells(record.size, "pglite", db)));
  results.partsDone.push(`pglite-${record.size}`);
}

async function partPostgres(record: SizeRecord, results: Results): Promise<void> {
  const { url, database } = record.dataset.postgres;
  console.log(`  [${record.size}] embedded gateway and a search subgraph process on PostgreSQL (${database})`);
  const env = envFor({ DATABASE_URL: url });
  const { outputs } = await withServers(
    async (servers: Server[]) => {
      const gateway = await startServer("gateway", "gateway/index.ts", [], env, "/readyz");
      servers.push(gateway);
      servers.push(
        await startServer("search subgraph", "subgraphs/serve.ts", ["search"], { ...env, REDIS_URL: options.redisUrl, GATEWAY_URL: gateway.graphqlUrl }, "/healthz"),
      );
    },
    async ([gw, search]) => {
      const processes = { gateway: gw!.pid, search: search!.pid };
      for (const kind of kinds) {
        const where = { size: record.size, backend: "postgres", kind: kind.name };
        const answer = await checked(results, { ...where, target: "gateway" }, () => checkKind(gw!.graphqlUrl, kind, "gateway"));
        const direct = await checked(results, { ...where, target: "subgraph" }, () => checkKind(search!.graphqlUrl, kind, "subgraph", DIRECT_HEADERS));
        if (!answer || !direct) continue;
        if (direct.count !== answer.count) throw new Error(`${kind.name}: the gateway counts ${answer.count}, the subgraph ${direct.count}`);
        for (const [i, clients] of clientsFor(record.size, kind, "postgres").entries()) {
          // Side by side: the same kind and client count through the gateway, then at the subgraph.
          const viaGateway = await httpCell({ size: record.size, backend: "postgres", target: "gateway", kind, clients }, gw!.graphqlUrl, processes, database, i === 0);
          viaGateway.answer = answer;
          results.cells.push(viaGateway);
          const atSubgraph = await httpCell({ size: record.size, backend: "postgres", target: "subgraph", kind, clients }, search!.graphqlUrl, processes, database, i === 0);
          atSubgraph.answer = direct;
          results.cells.push(atSubgraph);
        }
      }
    },
  );
  Object.assign(record.serverOutput, prefixKeys("postgres", outputs));
  results.partsDone.push(`postgres-${record.size}`);
}

async function checked<T>(results: Results, where: Omit<Failure, "error">, check: () => Promise<T>): Promise<T | undefined> {
  try {
    return await check();
  } catch (error) {
    const message = (error as Error).message.slice(0, 600);
    console.log(`    ${where.target} ${where.kind}: check failed, cells skipped: ${message.slice(0, 300)}`);
    (results.failures ??= []).push({ ...where, error: message });
    return undefined;
  }
}

async function partExplain(record: SizeRecord, results: Results, backends: Backend[]): Promise<void> {
  for (const backend of backends) {
    console.log(`  [${record.size}] EXPLAIN (ANALYZE, BUFFERS) on ${backend}`);
    const db: ServiceSpec["db"] = backend === "pglite" ? { DATA_DIR: record.dataset.pglite.dataDir } : { DATABASE_URL: record.dataset.postgres.url };
    const out = await runService({ db, mode: "explain", explain: kinds.map((k) => k.name), counts: options.counts });
    for (const [kind, statements] of Object.entries(out.explain!)) {
      console.log(`    ${kind.padEnd(14)} ${statements.map((s) => `${s.name} ${s.executionMs ?? "?"} ms`).join(" · ")}`);
    }
    results.explain.push({ size: record.size, backend, kinds: out.explain! });
    results.partsDone.push(`explain-${backend}-${record.size}`);
  }
}

function prefixKeys(prefix: string, outputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [`${prefix}/${k}`, v]));
}

// ---- write-up -------------------------------------------------------------------------------------------------

const TARGETS_MS = { search: 20, suggest: 10 };

function fmt(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits);
}

function cellsOf(results: Results, size: number, backend: Backend, clients: number, target: Target): Map<KindName, Cell> {
  return new Map(results.cells.filter((c) => c.size === size && c.backend === backend && c.clients === clients && c.target === target).map((c) => [c.kind, c]));
}

function cpuText(c: Cell): string {
  const own = Object.entries(c.cpuMsPerRequest)
    .filter(([name]) => (c.target === "gateway" ? name === "gateway" : c.target === "subgraph" ? name === "search" : true))
    .map(([, ms]) => fmt(ms, 2));
  return own.join(" + ") + (c.databaseCpuMsPerRequest !== null ? ` + ${fmt(c.databaseCpuMsPerRequest, 2)}` : "");
}

function verdict(kind: SearchKind, c: Cell | undefined): string {
  if (!c) return "";
  const target = TARGETS_MS[kind.family];
  return c.latencyMs.p95 <= target ? `✅ ≤ ${target}` : `❌ > ${target}`;
}

function table(results: Results, size: number, backend: Backend, clients: number): string {
  const second: Target = backend === "postgres" ? "subgraph" : "service";
  const gw = cellsOf(results, size, backend, clients, "gateway");
  const other = cellsOf(results, size, backend, clients, second);
  if (!gw.size && !other.size) return "";
  const secondLabel = second === "subgraph" ? "search subgraph (HTTP)" : "SearchService in process";
  const cpuLabel = backend === "postgres" ? "CPU ms/req (process + PostgreSQL)" : "CPU ms/req";
  const lines = [
    `#### ${size.toLocaleString("en")} listings · ${backend === "postgres" ? "PostgreSQL" : "PGlite"} · ${clients} client${clients > 1 ? "s" : ""}`,
    "",
    `| kind | matches | gateway p50 · p95 · p99 ms | ${cpuLabel} | req/s | ${secondLabel} p50 · p95 · p99 ms | ${cpuLabel} | req/s | gateway ÷ ${second} p50 |${size === 100_000 && backend === "postgres" ? " target (gateway p95) |" : ""}`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${size === 100_000 && backend === "postgres" ? " --- |" : ""}`,
  ];
  for (const kind of kinds) {
    const g = gw.get(kind.name);
    const o = other.get(kind.name);
    if (!g && !o) continue;
    const p = (c: Cell | undefined) => (c ? `${fmt(c.latencyMs.p50)} · ${fmt(c.latencyMs.p95)} · ${fmt(c.latencyMs.p99)}${c.errors ? ` (!! ${c.errors} errors)` : ""}` : "–");
    const ratio = g && o ? fmt(g.latencyMs.p50 / o.latencyMs.p50, 2) : "–";
    const matches = g?.answer?.count ?? o?.answer?.count;
    lines.push(
      `| ${kind.name} <br><sub>${kind.label.replaceAll("|", "\\|")}</sub> | ${kind.family === "suggest" ? `${matches ?? "–"} completions` : (matches?.toLocaleString("en") ?? "–")} | ${p(g)} | ${g ? cpuText(g) : "–"} | ${g ? fmt(g.requestsPerSecond, g.requestsPerSecond < 10 ? 1 : 0) : "–"} | ${p(o)} | ${o ? cpuText(o) : "–"} | ${o ? fmt(o.requestsPerSecond, o.requestsPerSecond < 10 ? 1 : 0) : "–"} | ${ratio} |` +
        (size === 100_000 && backend === "postgres" ? ` ${verdict(kind, g)} |` : ""),
    );
  }
  const busy = [...gw.values(), ...other.values()].filter((c) => c.otherLoadPct !== null).map((c) => c.otherLoadPct!);
  if (busy.length) lines.push("", `Other processes' share of the machine during these cells: ${Math.min(...busy)}–${Math.max(...busy)} % (median ${busy.sort((a, b) => a - b)[Math.floor(busy.length / 2)]} %).`);
  return lines.join("\n");
}

function explainSection(record: ExplainRecord): string {
  const lines = [
    `#### EXPLAIN · ${record.size.toLocaleString("en")} listings · ${record.backend === "postgres" ? "PostgreSQL" : "PGlite"}`,
    "",
    "Execution time of each statement (EXPLAIN ANALYZE, warm cache; the statement run alone first, client-side ms in brackets):",
    "",
    "| kind | compile | answer (page + total + facets) | page | count | facets | suggest |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const [kind, statements] of Object.entries(record.kinds)) {
    const of = (name: ExplainedStatement["name"]) => {
      const s = statements.find((x) => x.name === name);
      return s ? `${fmt(s.executionMs, 1)} (${fmt(s.runMs, 1)})` : "–";
    };
    lines.push(`| ${kind} | ${of("compile")} | ${of("answer")} | ${of("page")} | ${of("count")} | ${of("facets")} | ${of("suggest")} |`);
  }
  return lines.join("\n");
}

/**
 * A plan without the subtrees that build the text query (CTEs terms/q, the vocabulary lookups of
 * typos): they take well under a millisecond and would fill the excerpt.
 */
function condensePlan(plan: string[]): string[] {
  const indent = (line: string) => line.length - line.trimStart().length;
  const out: string[] = [];
  for (let i = 0; i < plan.length; i++) {
    const line = plan[i]!;
    const header = /^\s*(->\s+)?(CTE (terms|q|alternatives|phrases)\b|InitPlan|SubPlan)/.test(line);
    if (header) {
      let end = i + 1;
      while (end < plan.length && indent(plan[end]!) > indent(line) && !/^(Planning|Execution)/.test(plan[end]!)) end++;
      const subtree = plan.slice(i, end).join("\n");
      if (/SearchWord|CTE Scan on terms|Function Scan on unnest|phraseto_tsquery/.test(subtree) && !/SearchDocument/.test(subtree)) {
        out.push(`${" ".repeat(indent(line))}${line.trim().split("(")[0]!.trim()} … (${end - i} lines: the text query)`);
        i = end - 1;
        continue;
      }
    }
    out.push(line.length > 240 ? `${line.slice(0, 240)}…` : line);
  }
  return out;
}

function planExcerpt(record: ExplainRecord, kind: string, name: ExplainedStatement["name"], maxLines = 60): string {
  const s = record.kinds[kind]?.find((x) => x.name === name);
  if (!s) return "";
  const condensed = condensePlan(s.plan);
  const plan = condensed.length > maxLines ? [...condensed.slice(0, maxLines), `… (${condensed.length - maxLines} more lines; the whole plan is in the JSON)`] : condensed;
  return [`${kind} · ${name} · ${record.backend} ${record.size.toLocaleString("en")}:`, "", "```", ...plan, "```"].join("\n");
}

function markdown(results: Results): string {
  const meta = results.meta;
  const out: string[] = [
    `# Search benchmark — ${meta.date as string}`,
    "",
    `Command: \`${meta.command as string}\``,
    "",
    `Machine: ${meta.machineText as string}. Commit ${(meta.git as { head: string }).head.slice(0, 10)}${(meta.git as { dirty: string[] }).dirty.length ? ` (files others were editing meanwhile: ${(meta.git as { dirty: string[] }).dirty.join(", ")})` : ""}. ` +
      `CPU probe (100 M iterations of a JavaScript loop, lower is faster): ${meta.cpuProbeMs.start} ms at the start, ${meta.cpuProbeMs.end ?? "–"} ms at the end. Parts run: ${results.partsDone.join(", ") || "none"}.`,
    "",
    "## Data",
    "",
    "| size | PGlite | PostgreSQL |",
    "| --- | --- | --- |",
    ...results.sizes.map((s) => {
      const d = s.dataset;
      const describe = (x: { reused: boolean; seedSeconds: number | null }, load?: { seedSeconds: number; rebuildSeconds?: number; analyzeSeconds?: number; bulk: boolean }) =>
        load
          ? `loaded now in ${x.seedSeconds} s${load.bulk ? ` (bulk: seed ${load.seedSeconds} s with triggers off, search_rebuild() ${load.rebuildSeconds ?? "–"} s${load.analyzeSeconds !== undefined ? `, VACUUM ANALYZE ${load.analyzeSeconds} s` : ""})` : ""}`
          : x.reused
            ? `cached${x.seedSeconds !== null ? ` (loaded in ${x.seedSeconds} s)` : ""}`
            : "–";
      return `| ${s.size.toLocaleString("en")} (${d.spec.sellers.toLocaleString("en")} sellers) | ${s.size <= options.pgliteMaxSize && options.parts.some((p) => p !== "postgres") ? describe(d.pglite, d.load?.pglite) : "–"} | ${describe(d.postgres, d.load?.postgres)} |`;
    }),
    "",
    "## Method",
    "",
    `- Kinds (bench/search-queries.ts), picked from the seeded titles: ${kinds.map((k) => `\`${k.name}\` ${k.label}`).join("; ")}. ` +
      "Every search asks `first: 20`, `totalCount`, `facets { categories counties cities conditions priceRanges { count } }` and `edges { node { listing { id title price { formatted } } highlight distanceKm } }` (at the subgraph: `listing { id }`); suggest asks `first: 8` `{ text category { id } }`.",
    `- Per cell (kind × target × clients), a fixed number of measured requests: suggest ${options.requests} (${options.requestsLarge} above 100,000 listings); search ${options.searchRequests} on PostgreSQL, ${options.searchRequestsPglite} on PGlite, ${options.searchRequestsLarge} above 100,000 listings (searches take 0.1–2 s each here: more would not fit the run's time; with so few, p99 is the slowest or second slowest request, p95 near it); never fewer than the clients. ` +
      `Search kinds above 100,000 listings at ${options.searchClientsLarge.join(", ")} client(s) only, on PGlite at ${options.searchClientsPglite.join(", ")}. Before each kind's first cell on a target, a warm-up (${Math.min(options.warmup, 3)} searches, ${options.warmup} completions); before the first search cell on a server, ${options.processWarmup} searches of every search kind run, taking turns (its code's warm-up: a long-running server's steady state). Exact percentiles (nearest rank) of every response time (bench/search-load.ts).`,
    "- gateway = the embedded gateway (`gateway/index.ts`, all subgraphs in process), NODE_ENV=production, rate limits out of reach. PostgreSQL: the search subgraph also runs as its own process (`subgraphs/serve.ts search`, GATEWAY_URL = the gateway for the category catalog) and is called at its URL with the gateway secret; each kind and client count is measured through the gateway and then at the subgraph, one right after the other. " +
      "PGlite: its data dir is one process's, so there is no subgraph process; the \"subgraph\" figure is SearchService called in process (bench/search-service.ts: the service and its SQL on the same PGlite worker thread, no GraphQL, no HTTP), run after the gateway stopped.",
    "- The load: bench/search-load.ts in the benchmark's own process (one kept-alive connection per client, every body checked: 200 with data, no errors); its CPU is not in the figures.",
    "- CPU ms per request: the process the load went to (gateway / search subgraph / the in-process service with its PGlite thread), from /proc, ÷ requests; on PostgreSQL plus the backends of the data set's database (pg_stat_activity pids, /proc). The load generator's CPU is not counted.",
    `- ${quietMethod()}`,
    `- Background work in the servers (agents' queue workers, moderation, chat scan, imports): ${options.background === "off" ? "off (--background off): process CPU is the requests' own" : "the product's defaults (on): its CPU falls in the cells' process CPU"}.`,
    `- Execution deadline of the gateways: ${options.deadlineMs === null ? "the product's default (EXECUTION_DEADLINE_MS 10,000)" : `${options.deadlineMs} ms (--deadline-ms; the product's default is 10,000)`}; a request past it answers DEADLINE_EXCEEDED and counts as an error, not in the percentiles.`,
    `- Targets (100,000 listings, PostgreSQL, through the gateway): search with facets p95 ≤ ${TARGETS_MS.search} ms, suggest p95 ≤ ${TARGETS_MS.suggest} ms.`,
    "",
    "## Results",
    "",
  ];
  for (const size of options.sizes) {
    for (const backend of ["postgres", "pglite"] as const) {
      for (const clients of options.clients) {
        const t = table(results, size, backend, clients);
        if (t) out.push(t, "");
      }
    }
  }
  if (results.explain.length) {
    out.push("## EXPLAIN", "");
    for (const e of results.explain) {
      out.push(explainSection(e), "");
      // The plans of the three slowest statements of this data set.
      const slowest = Object.entries(e.kinds)
        .flatMap(([kind, statements]) => statements.map((st) => ({ kind, name: st.name, ms: st.executionMs ?? 0 })))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3);
      for (const st of slowest) out.push(planExcerpt(e, st.kind, st.name), "");
    }
  }
  if (results.failures?.length) {
    out.push("## Kinds that failed their check (cells skipped)", "", ...results.failures.map((f) => `- ${f.size.toLocaleString("en")} · ${f.backend} · ${f.target} · ${f.kind}: ${f.error.replaceAll("\n", " ").slice(0, 300)}`), "");
  }
  out.push("<!-- analysis -->", "");
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

function save(results: Results): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, `${options.out}.json`), `${JSON.stringify(results, null, 1)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, `${options.out}.md`), markdown(results));
}

// ---- main ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const pglitePkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string };
  const cpus = os.cpus();
  const postgres = await postgresVersion();
  const results: Results = {
    meta: {
      date: localDate(),
      command: `npm run bench:search -- ${process.argv.slice(2).join(" ")}`.trim(),
      git: gitState(),
      cpuProbeMs: { start: cpuProbeMs() },
      startedAt: new Date().toISOString(),
      machineText: `${cpus[0]?.model ?? "unknown"} × ${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; Node ${process.version}; PostgreSQL ${postgres}; PGlite ${pglitePkg.version}; CLK_TCK ${CLK_TCK}`,
      options,
      kinds,
    },
    sizes: [],
    cells: [],
    explain: [],
    partsDone: [],
  };
  const wallStart = performance.now();
  for (const size of options.sizes) {
    const withPglite = size <= options.pgliteMaxSize && (options.parts.includes("pglite") || options.parts.includes("explain"));
    const withPostgres = options.parts.includes("postgres") || options.parts.includes("explain");
    console.log(`[${size}] preparing data sets (${[withPglite ? "PGlite" : "", withPostgres ? "PostgreSQL" : ""].filter(Boolean).join(", ")})`);
    const started = performance.now();
    const dataset = await prepareDataset(size, options.pgUrl, log, { pglite: withPglite, postgres: withPostgres, bulk: options.bulk });
    const record: SizeRecord = { size, dataset, prepareSeconds: Math.round((performance.now() - started) / 100) / 10, serverOutput: {} };
    console.log(`[${size}] data ready in ${record.prepareSeconds} s`);
    results.sizes.push(record);
    const steps: [Part, () => Promise<void>][] = [
      ["postgres", () => partPostgres(record, results)],
      ["pglite", () => (size <= options.pgliteMaxSize ? partPglite(record, results) : Promise.resolve())],
      ["explain", () => partExplain(record, results, size <= options.pgliteMaxSize ? ["postgres", "pglite"] : ["postgres"])],
    ];
    // In the order --parts names them (explain first gives the plans even if the load runs out of time).
    for (const [part, run] of steps.filter(([p]) => options.parts.includes(p)).sort(([a], [b]) => options.parts.indexOf(a) - options.parts.indexOf(b))) {
      try {
        await run();
      } catch (error) {
        console.error(`  [${size}] part ${part} failed: ${(error as Error).stack ?? String(error)}`);
        results.partsDone.push(`${part}-${size} FAILED: ${(error as Error).message.slice(0, 300)}`);
      }
      save(results);
    }
  }
  results.meta.cpuProbeMs.end = cpuProbeMs();
  results.meta.finishedAt = new Date().toISOString();
  results.meta.wallSeconds = Math.round((performance.now() - wallStart) / 1000);
  save(results);
  console.log(`results: bench/results/${options.out}.md and .json (${results.meta.wallSeconds as number} s)`);
}

function render(file: string): void {
  const results = JSON.parse(fs.readFileSync(file, "utf8")) as Results;
  Object.assign(options, results.meta.options, { out: path.basename(file, ".json") });
  kinds = KINDS.filter((k) => options.kinds.includes(k.name));
  fs.writeFileSync(path.join(path.dirname(file), `${options.out}.md`), markdown(results));
  console.log(`wrote ${path.join(path.dirname(file), `${options.out}.md`)}`);
}

try {
  if (argv.render) render(argv.render);
  else await main();
} finally {
  await stopAllChildren(5_000);
}
