/**
 * Subscriptions benchmark: `npm run bench:subscriptions -- [options]`
 *
 * Many graphql-ws subscribers on the gateway, each a signed-up user subscribed to
 * `subscription { messageAdded { id body sender { displayName } } }` (every message of theirs, with a
 * field of another subgraph), spread over buyer–seller conversations (user 2k buys the listing of user
 * 2k+1: conversation k); sendMessage over HTTP at fixed rates in those conversations; each message
 * reaches its two participants (the sender's own copy included, as apps show it).
 *
 *   --parts idle,messages,leak,distributed
 *       idle         embedded gateway: RSS and heap after GC with 0, then each --subscribers count of
 *                    idle sockets subscribed (the slope is the RSS per 1,000 idle subscribers)
 *       messages     embedded gateway: each --rates at each --subscribers count (largest first; the
 *                    sockets beyond the next count are then closed, and their release is checked).
 *                    With distributed, when the smallest count is --distributed-subscribers, its runs
 *                    alternate with the distributed runs (the two deployments up together)
 *       leak         embedded gateway: --leak-warmup then --leak-cycles subscribe/complete cycles on held
 *                    sockets while messages flow; heap, RSS, active handles and the pub/sub's open
 *                    subscriptions before and after, after GC
 *       distributed  two gateways, the subgraph processes, PostgreSQL and Redis
 *                    (tests/utils/distributed.ts): --distributed-subscribers on gateway B, sendMessage
 *                    through gateway A, each --distributed-rates
 *   --subscribers 1000,10000   subscriber counts of the embedded gateway
 *   --rates 20,50,1000         messages per second (sendMessage started on schedule while fewer than
 *                              --max-in-flight are unanswered: past what the server can take, the rate
 *                              reached is reported)
 *   --duration 15              seconds of sending per rate
 *   --warmup 5                 seconds of unmeasured sending (the lowest rate) before the first run at
 *                              each embedded subscriber count (kept in the JSON as `warmups`)
 *   --drain 10                 at most this many seconds to wait for the last events after the sending
 *   --distributed-subscribers 1000   --distributed-rates (default: --rates)
 *   --leak-cycles 10000 (measured, after --leak-warmup 1000) at --leak-rate 100 cycles/s on --leak-sockets
 *                              25 of the held sockets (a socket cycles one subscription at a time); each
 *                              cycle holds its second subscription 50…--leak-hold 300 ms (one in five 0 ms);
 *                              --leak-trickle 5 messages/s meanwhile, in the cycling sockets' conversations
 *   --workers 1                subscriber processes (sockets spread over them)
 *   --max-in-flight 64         --connect-concurrency 64
 *   --fresh                    rebuild the cached users, listings and conversations (see below)
 *   --heap-snapshots           also write the gateway's heap snapshot at each idle count, and before and
 *                              after the leak check (node --heapsnapshot-signal; into bench/.data/heap/;
 *                              compare them in Chrome DevTools). Writing one grows the RSS for good:
 *                              the RSS figures of such a run mean nothing.
 *   --cpu-prof                 run the embedded gateway under --cpu-prof (into bench/.data/profiles/): the
 *                              top functions, and per message run the inclusive share of a few groups
 *   --out <name>               results file name under bench/results (default subscriptions-<YYYY-MM-DD>)
 *   --quiet-wait 30 --quiet-threshold 25 --quiet-budget 90   (as bench:gateway: before each measured
 *                              run, wait while processes outside the benchmark use more of the CPU)
 *
 * The embedded gateway is a child process on PGlite (the default product mode), NODE_ENV=production,
 * started through bench/subscriptions-gateway.ts (gateway/index.ts plus a memory report on a signal,
 * with --expose-gc). Its users (signed up through the API), listings and conversations are made once
 * per largest --subscribers count and cached under bench/.data/subscriptions-pglite-<N>/ with their
 * access tokens (ACCESS_TOKEN_TTL_SECONDS = 30 days in every process of this benchmark); each run
 * works on a copy. Distributed mode makes its own in a fresh PostgreSQL database every run.
 * Results: bench/results/<out>.md and .json.
 */
import { fork, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "./datasets.ts";
import { formatSummary, inclusiveShares, readProfile, summarize, type FrameMatcher, type InclusiveShares, type ProfileSummary } from "./profile-top.ts";
import {
  CLK_TCK,
  cpuProbeMs,
  gitState,
  localDate,
  machineTicks,
  postgresCpuMs,
  procTimes,
  quietMethod,
  serverEnv,
  setQuietWait,
  sleep,
  startServer,
  stopAllChildren,
  stopChild,
  track,
  UNLIMITED_RATE,
  waitForQuiet,
  type Quiet,
  type Server,
} from "./harness.ts";
import type { ConnectReply, Counts, CyclesReply, Receipts, SendCommand, SentReply, SubscriberCommand, SubscriberSpec } from "./subscriptions-worker.ts";

// ---- options -------------------------------------------------------------------------------------------

const PARTS = ["idle", "messages", "leak", "distributed"] as const;
type Part = (typeof PARTS)[number];

const { values: argv } = parseArgs({
  options: {
    parts: { type: "string", default: PARTS.join(",") },
    subscribers: { type: "string", default: "1000,10000" },
    rates: { type: "string", default: "20,50,1000" },
    duration: { type: "string", default: "15" },
    warmup: { type: "string", default: "5" },
    drain: { type: "string", default: "10" },
    "distributed-subscribers": { type: "string", default: "1000" },
    "distributed-rates": { type: "string" },
    "leak-cycles": { type: "string", default: "10000" },
    "leak-warmup": { type: "string", default: "1000" },
    "leak-rate": { type: "string", default: "100" },
    "leak-hold": { type: "string", default: "300" },
    "leak-sockets": { type: "string", default: "25" },
    "leak-trickle": { type: "string", default: "5" },
    workers: { type: "string", default: "1" },
    "max-in-flight": { type: "string", default: "64" },
    "connect-concurrency": { type: "string", default: "64" },
    fresh: { type: "boolean", default: false },
    "heap-snapshots": { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    out: { type: "string" },
    "quiet-wait": { type: "string", default: "30" },
    "quiet-threshold": { type: "string", default: "25" },
    "quiet-budget": { type: "string", default: "90" },
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
const ints = (name: string, raw: string, min = 1) => raw.split(",").map((s) => int(name, s.trim(), min));

const options = {
  parts: argv.parts.split(",").map((p) => {
    if (!PARTS.includes(p.trim() as Part)) throw new Error(`--parts: unknown "${p}" (expected ${PARTS.join(", ")})`);
    return p.trim() as Part;
  }),
  subscribers: [...new Set(ints("subscribers", argv.subscribers, 2))].sort((a, b) => a - b),
  rates: ints("rates", argv.rates),
  durationSeconds: int("duration", argv.duration),
  warmupSeconds: int("warmup", argv.warmup, 0),
  drainSeconds: int("drain", argv.drain),
  distributedSubscribers: int("distributed-subscribers", argv["distributed-subscribers"], 2),
  distributedRates: ints("distributed-rates", argv["distributed-rates"] ?? argv.rates),
  leakCycles: int("leak-cycles", argv["leak-cycles"]),
  leakWarmup: int("leak-warmup", argv["leak-warmup"], 0),
  leakRate: int("leak-rate", argv["leak-rate"]),
  leakHoldMs: int("leak-hold", argv["leak-hold"], 50),
  leakSockets: int("leak-sockets", argv["leak-sockets"], 2),
  leakTrickle: int("leak-trickle", argv["leak-trickle"], 0),
  workers: int("workers", argv.workers),
  maxInFlight: int("max-in-flight", argv["max-in-flight"]),
  connectConcurrency: int("connect-concurrency", argv["connect-concurrency"]),
  fresh: argv.fresh,
  heapSnapshots: argv["heap-snapshots"],
  cpuProf: argv["cpu-prof"],
  out: argv.out,
};
for (const n of [...options.subscribers, options.distributedSubscribers]) if (n % 2) throw new Error(`subscriber counts must be even (buyer and seller pairs), got ${n}`);
if (options.out !== undefined && !/^[\w.-]+$/.test(options.out)) throw new Error(`--out must be a plain file name, got "${options.out}"`);
setQuietWait(int("quiet-wait", argv["quiet-wait"], 0), int("quiet-threshold", argv["quiet-threshold"], 0), int("quiet-budget", argv["quiet-budget"], 0));

const RESULTS_DIR = path.join(repoRoot, "bench/results");
const DATA_DIR_ROOT = path.join(repoRoot, "bench/.data");
const wants = (part: Part) => options.parts.includes(part);
const embeddedParts = (["idle", "messages", "leak"] as const).filter(wants);
const largest = options.subscribers.at(-1)!;

/** The subscription every subscriber holds: all of the user's messages, with a field another subgraph owns. */
const SUBSCRIPTION = "subscription BenchMessages { messageAdded { id body sender { displayName } } }";
const TOKEN_TTL_SECONDS = 30 * 24 * 3600;
const PASSWORD = "Parola-Bench-2026!x";

/** What every process of the benchmark gets beyond serverEnv: no limit reached from 127.0.0.1. */
const BENCH_ENV = {
  RATE_LIMIT_SIGN_UP_PER_IP: UNLIMITED_RATE,
  RATE_LIMIT_SIGN_IN_PER_IP: UNLIMITED_RATE,
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: UNLIMITED_RATE,
  CHAT_MESSAGES_PER_MINUTE: UNLIMITED_RATE,
  ACCESS_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
  // The bench chats about listings it publishes: live at once, not after the moderator's verdict.
  LISTING_MODERATION: "off",
};

// ---- small helpers ------------------------------------------------------------------------------------------

const MB = 1024 * 1024;
const r1 = (n: number) => Math.round(n * 10) / 10;
const r2 = (n: number) => Math.round(n * 100) / 100;
const fmt = (n: number) => n.toLocaleString("en-US");

interface Stats {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function stats(values: number[]): Stats | null {
  if (!values.length) return null;
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => r2(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!);
  return { n: sorted.length, min: r2(sorted[0]!), p50: at(0.5), p90: at(0.9), p99: at(0.99), max: r2(sorted.at(-1)!), mean: r2(values.reduce((a, b) => a + b, 0) / values.length) };
}

function cpuMsOf(pid: number): number {
  const t = procTimes(pid);
  return t ? ((t[0]! + t[1]!) * 1000) / CLK_TCK : NaN;
}

/** CPU ms of each thread of `pid` (the main thread's id is the pid). */
function threadCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const t = procTimes(`${pid}/task/${tid}`);
      if (t) out.set(Number(tid), ((t[0]! + t[1]!) * 1000) / CLK_TCK);
    }
  } catch {
    // gone
  }
  return out;
}

/** Main thread, busiest other thread (PGlite's worker, in embedded mode) and the rest, from two readings. */
function threadSplit(pid: number, before: Map<number, number>, after: Map<number, number>): { main: number; busiestOther: number; rest: number } {
  let main = 0;
  let busiestOther = 0;
  let total = 0;
  for (const [tid, ms] of after) {
    const d = ms - (before.get(tid) ?? 0);
    total += d;
    if (tid === pid) main = d;
    else busiestOther = Math.max(busiestOther, d);
  }
  return { main: Math.round(main), busiestOther: Math.round(busiestOther), rest: Math.round(total - main - busiestOther) };
}

function rssBytesOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU of every process named `comm` (redis-server), with what they reaped. */
function commCpuMs(comm: string): number {
  let ticks = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== comm) continue;
    } catch {
      continue;
    }
    const t = procTimes(entry);
    if (t) ticks += t[0]! + t[1]! + t[2]! + t[3]!;
  }
  return (ticks * 1000) / CLK_TCK;
}

function openFilesLimit(): number {
  const line = fs.readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === "unlimited" ? Infinity : Number(soft);
}

// ---- child processes over IPC ------------------------------------------------------------------------------

class Worker {
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.on("message", (message: { id?: number; reply?: unknown; error?: string }) => {
      if (message.id === undefined) return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(`${name}: ${message.error}`));
      else waiter?.resolve(message.reply);
    });
    child.once("exit", (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (${signal ?? code})`));
      this.pending.clear();
    });
  }

  static async start(name: string, role: "subscribers" | "sender"): Promise<Worker> {
    const child = fork(path.join(repoRoot, "bench/subscriptions-worker.ts"), [role], {
      cwd: repoRoot,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    track(child);
    await new Promise<void>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
      child.on("message", (m: { type?: string }) => m.type === "ready" && resolve());
    });
    return new Worker(name, child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  call<T>(command: SubscriberCommand | SendCommand, timeoutMs = 600_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${command.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.send({ id, command });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.send({ id: 0, command: { type: "exit" } });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

// ---- the gateway's own memory report (bench/subscriptions-gateway.ts) ---------------------------------------

interface MemoryLine {
  seq: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  gcRuns: number;
  gcAvailable: boolean;
  resources: Record<string, number>;
  pubsub: { subscriptions: number; listeners: number; channels: number; instances: number };
}

let lastMemorySeq = 0;

/** Signals the gateway (SIGUSR2: after GC; SIGWINCH: as is) and reads the line it prints. */
async function gatewayMemory(gateway: Server, collect: boolean): Promise<MemoryLine> {
  for (let attempt = 0; attempt < 3; attempt++) {
    process.kill(gateway.pid, collect ? "SIGUSR2" : "SIGWINCH");
    const deadline = Date.now() + (collect ? 30_000 : 5_000);
    while (Date.now() < deadline) {
      const lines = gateway.proc.output().split("\n").filter((l) => l.startsWith("@@bench-memory "));
      const latest = lines.length ? (JSON.parse(lines.at(-1)!.slice("@@bench-memory ".length)) as MemoryLine) : undefined;
      if (latest && latest.seq > lastMemorySeq) {
        lastMemorySeq = latest.seq;
        return latest;
      }
      await sleep(50);
    }
  }
  throw new Error("the gateway printed no memory report (is it bench/subscriptions-gateway.ts?)");
}

interface MemoryPoint {
  label: string;
  subscribers: number;
  rssMB: number;
  heapUsedMB: number;
  heapTotalMB: number;
  externalMB: number;
  arrayBuffersMB: number;
  gcRuns: number;
  resources: Record<string, number>;
  pubsub: MemoryLine["pubsub"];
}

async function memoryPoint(gateway: Server, label: string, subscribers: number): Promise<MemoryPoint> {
  const m = await gatewayMemory(gateway, true);
  const point = {
    label,
    subscribers,
    rssMB: r1(m.rss / MB),
    heapUsedMB: r1(m.heapUsed / MB),
    heapTotalMB: r1(m.heapTotal / MB),
    externalMB: r1(m.external / MB),
    arrayBuffersMB: r1(m.arrayBuffers / MB),
    gcRuns: m.gcRuns,
    resources: m.resources,
    pubsub: m.pubsub,
  };
  console.log(
    `    memory (${label}): RSS ${point.rssMB} MB, heap used ${point.heapUsedMB} MB, external ${point.externalMB} MB; ` +
      `pub/sub subscriptions ${m.pubsub.subscriptions}; handles ${Object.entries(m.resources).map(([k, v]) => `${k} ${v}`).join(", ")}`,
  );
  return point;
}

const HEAP_DIR = path.join(DATA_DIR_ROOT, "heap");
const PROFILE_DIR = path.join(DATA_DIR_ROOT, "profiles");

/** Groups of frames for the inclusive shares of a message run's CPU (a sample may be in several). */
const PROFILE_GROUPS: Record<string, FrameMatcher> = {
  "sockets: graphql-ws server, ws": (file) => file.includes("node_modules/graphql-ws/") || file.includes("node_modules/ws/"),
  "subscription events: gateway/subscriptions": (file) => file.startsWith("gateway/subscriptions/") || file === "lib/subgraph-events.ts",
  "@apollo/gateway (query plans executed)": (file) => file.includes("node_modules/@apollo/gateway/"),
  "@apollo/server (HTTP pipeline)": (file) => file.includes("node_modules/@apollo/server/"),
  "query planner, federation internals": (file) => file.includes("node_modules/@apollo/query-planner/") || file.includes("node_modules/@apollo/federation-internals/"),
  "graphql-js": (file) => file.includes("node_modules/graphql/"),
  "Prisma client": (file) => file.includes("node_modules/@prisma/") || file.includes("prisma/generated/"),
  "PGlite adapter, lib/db": (file) => file.includes("pglite") || file.startsWith("lib/db/"),
  "chat subgraph": (file) => file.startsWith("subgraphs/chat/"),
  "users subgraph": (file) => file.startsWith("subgraphs/users/"),
  "pino (logging)": (file) => file.includes("node_modules/pino"),
  "garbage collector": (_file, fn) => fn === "(garbage collector)",
};

/** The gateway's main-thread profile (written when it exits): its top functions, and each run's group shares. */
function profileOf(pid: number, runs: RateRun[]): { file: string; summary: ProfileSummary } | undefined {
  const written = fs.readdirSync(PROFILE_DIR).filter((f) => f.includes(`.${pid}.0.`) && f.endsWith(".cpuprofile"));
  if (!written.length) {
    console.log(`    no CPU profile of pid ${pid} in ${path.relative(repoRoot, PROFILE_DIR)}`);
    return undefined;
  }
  const file = path.join(PROFILE_DIR, `gateway-subscriptions-${localDate()}-${pid}.cpuprofile`);
  fs.renameSync(path.join(PROFILE_DIR, written[0]!), file);
  const profile = readProfile(file);
  const summary = summarize(profile, 30);
  for (const run of runs) run.profileShares = inclusiveShares(profile, PROFILE_GROUPS, run.windowUs);
  console.log(`    CPU profile of the gateway's main thread: ${path.relative(repoRoot, file)}\n${formatSummary(summary).replace(/^/gm, "      ")}`);
  return { file: path.relative(repoRoot, file), summary };
}
const HEAP_SIGNAL = "SIGTTIN";

/** Has the gateway (started with --heapsnapshot-signal) write a heap snapshot, renamed after `label`. */
async function heapSnapshot(gateway: Server, label: string): Promise<void> {
  const before = new Set(fs.readdirSync(HEAP_DIR));
  process.kill(gateway.pid, HEAP_SIGNAL);
  const deadline = Date.now() + 300_000;
  for (;;) {
    const written = fs.readdirSync(HEAP_DIR).filter((f) => !before.has(f) && f.endsWith(".heapsnapshot"));
    // Node writes the file in one go; its size stops changing when it is done.
    if (written.length) {
      const file = path.join(HEAP_DIR, written[0]!);
      const size = fs.statSync(file).size;
      await sleep(2000);
      if (size > 0 && fs.statSync(file).size === size) {
        const target = path.join(HEAP_DIR, `gateway-${label}.heapsnapshot`);
        fs.renameSync(file, target);
        console.log(`    heap snapshot: ${path.relative(repoRoot, target)} (${r1(size / MB)} MB)`);
        return;
      }
    } else await sleep(500);
    if (Date.now() > deadline) throw new Error("no heap snapshot written within 5 minutes");
  }
}

/** Waits until the gateway's pub/sub holds `expected` subscriptions (checked without GC). */
async function waitForPubsub(gateway: Server, expected: number, timeoutMs = 180_000): Promise<{ reached: boolean; count: number; ms: number }> {
  const started = performance.now();
  let count = -1;
  while (performance.now() - started < timeoutMs) {
    count = (await gatewayMemory(gateway, false)).pubsub.subscriptions;
    if (count === expected) return { reached: true, count, ms: Math.round(performance.now() - started) };
    await sleep(250);
  }
  return { reached: false, count, ms: Math.round(performance.now() - started) };
}

/** CPU `pid` uses over `seconds`, % of one core. */
async function corePct(pid: number, seconds: number): Promise<number> {
  const before = cpuMsOf(pid);
  const started = performance.now();
  await sleep(seconds * 1000);
  return Math.round(((cpuMsOf(pid) - before) / (performance.now() - started)) * 1000) / 10;
}

/** Waits until `pid` uses less than 10 % of a core over a second (the work queued by a burst is done). */
async function waitIdle(pid: number, maxSeconds = 30): Promise<void> {
  const deadline = performance.now() + maxSeconds * 1000;
  while (performance.now() < deadline) {
    const before = cpuMsOf(pid);
    await sleep(1000);
    if (cpuMsOf(pid) - before < 100) return;
  }
}

/** Stops the gateway and returns what it printed beyond its ready line and the memory reports. */
async function stopGateway(gateway: Server): Promise<Record<string, string>> {
  await stopChild(gateway.proc.child);
  const { exitCode, signalCode } = gateway.proc.child;
  const text = gateway.proc
    .output()
    .split("\n")
    .filter((line) => line.trim() && !line.includes("API ready at") && !line.startsWith("@@bench-memory"))
    .join("\n")
    .concat(exitCode === 0 ? "" : `\n[exited with ${signalCode ?? `code ${exitCode}`} after SIGTERM]`)
    .trim();
  if (text) console.log(`    output of ${gateway.name}:\n${text.slice(0, 1500).replace(/^/gm, "      | ")}`);
  return text ? { [gateway.name]: text.length > 4000 ? `${text.slice(0, 4000)}\n…` : text } : {};
}

// ---- setup through the API ----------------------------------------------------------------------------------

interface Setup {
  version: 1;
  subscribers: number;
  createdAt: string;
  tokenExpiresAt: string;
  migrations: string;
  seconds: { signUp: number; listings: number; conversations: number };
  users: { id: string; token: string }[];
  /** Conversation k: buyer = users[2k], seller = users[2k + 1]. */
  conversations: { id: string; listingId: string }[];
}

function migrationsSignature(): string {
  const dir = path.join(repoRoot, "prisma/migrations");
  return crypto.createHash("sha256").update(fs.readdirSync(dir).sort().join("\n")).digest("hex").slice(0, 16);
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 16 });

function gql<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const body = JSON.stringify({ query, variables });
  return new Promise<T>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent: keepAlive,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            const json = JSON.parse(text) as { data?: T; errors?: unknown[] };
            if (json.errors?.length || !json.data) reject(new Error(`${query.slice(0, 40)}…: ${text.slice(0, 500)}`));
            else resolve(json.data);
          } catch {
            reject(new Error(`${url} answered ${res.statusCode}: ${text.slice(0, 300)}`));
          }
        });
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error("no answer within 60 s")));
    req.on("error", reject);
    req.end(body);
  });
}

async function inPool<T>(count: number, concurrency: number, label: string, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  let done = 0;
  const step = Math.max(1, Math.ceil(count / 10));
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        let attempt = 0;
        for (;;) {
          try {
            out[i] = await task(i);
            break;
          } catch (error) {
            if (++attempt >= 3) throw error;
            await sleep(500);
          }
        }
        if (++done % step === 0) console.log(`      ${label}: ${fmt(done)}/${fmt(count)} (${r1((done / (performance.now() - started)) * 1000)}/s)`);
      }
    }),
  );
  return out;
}

const SIGN_UP = "mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }";
const CREATE_LISTING = "mutation ($input: CreateListingInput!) { createListing(input: $input) { id } }";
const PUBLISH_LISTING = "mutation ($id: ID!) { publishListing(id: $id) { id } }";
const START_CONVERSATION = "mutation ($listingId: ID!, $body: String!) { startConversation(listingId: $listingId, body: $body) { id } }";
const LISTING_INPUT = {
  categoryId: "101",
  title: "Dacia Logan 1.5 dCi 2016, unic proprietar",
  description: "Vând Dacia Logan în stare foarte bună, întreținută la reprezentanță, toate reviziile la zi. Mașina nu are accidente, anvelope de iarnă incluse.",
  price: { amount: 450_000, currency: "EUR" },
  negotiable: true,
  condition: "USED",
  county: "CJ",
  city: "Cluj-Napoca",
  attributes: { make: "dacia", model: "Logan", year: 2016, km: 148_000, fuel: "diesel" },
};

/** `count` users signed up through the API, a listing per seller, a conversation per pair. */
async function setUp(url: string, count: number): Promise<Setup> {
  const tag = crypto.randomBytes(4).toString("hex");
  const concurrency = 8;
  let t = performance.now();
  const users = await inPool(count, concurrency, "sign-ups", async (i) => {
    const input = { email: `abonat-${tag}-${i}@bench.example.ro`, password: PASSWORD, displayName: `Abonat ${i}` };
    const { signUp } = await gql<{ signUp: { accessToken: string; user: { id: string } } }>(url, SIGN_UP, { input });
    return { id: signUp.user.id, token: signUp.accessToken };
  });
  const signUpSeconds = r1((performance.now() - t) / 1000);
  t = performance.now();
  const pairs = count / 2;
  const listingIds = await inPool(pairs, concurrency, "listings", async (k) => {
    const seller = users[2 * k + 1]!.token;
    const { createListing } = await gql<{ createListing: { id: string } }>(url, CREATE_LISTING, { input: LISTING_INPUT }, seller);
    await gql(url, PUBLISH_LISTING, { id: createListing.id }, seller);
    return createListing.id;
  });
  const listingsSeconds = r1((performance.now() - t) / 1000);
  t = performance.now();
  const conversations = await inPool(pairs, concurrency, "conversations", async (k) => {
    const body = "Bună ziua, mai este disponibil?";
    const { startConversation } = await gql<{ startConversation: { id: string } }>(url, START_CONVERSATION, { listingId: listingIds[k], body }, users[2 * k]!.token);
    return { id: startConversation.id, listingId: listingIds[k]! };
  });
  const now = new Date();
  return {
    version: 1,
    subscribers: count,
    createdAt: now.toISOString(),
    tokenExpiresAt: new Date(now.getTime() + TOKEN_TTL_SECONDS * 1000).toISOString(),
    migrations: migrationsSignature(),
    seconds: { signUp: signUpSeconds, listings: listingsSeconds, conversations: r1((performance.now() - t) / 1000) },
    users,
    conversations,
  };
}

/** The embedded gateway's /metrics (production: behind this token) gives its SQL statement count. */
const METRICS_TOKEN = crypto.randomBytes(24).toString("hex");

function embeddedEnv(dataDir: string): Record<string, string> {
  return { ...serverEnv("production", { DATA_DIR: dataDir }), ...BENCH_ENV, METRICS_TOKEN };
}

/**
 * SQL statements the embedded gateway's process has sent through Prisma (piata_db_statements_total:
 * the gateway and its in-process subgraphs, sendMessage and the events' fetches alike); null when
 * unreadable (a distributed gateway sends none of its own).
 */
async function statementsOf(graphqlUrl: string): Promise<number | null> {
  try {
    const res = await fetch(new URL("/metrics", graphqlUrl), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    if (!res.ok) return null;
    const line = (await res.text()).split("\n").find((l) => l.startsWith("piata_db_statements_total"));
    return line ? Number(line.trim().split(/\s+/).at(-1)) : null;
  } catch {
    return null;
  }
}

const GATEWAY_ENTRY = "bench/subscriptions-gateway.ts";

/** The cached PGlite data dir with `count` users (built when missing, stale or --fresh). */
async function cachedSetup(count: number): Promise<{ dir: string; setup: Setup; built: boolean }> {
  const dir = path.join(DATA_DIR_ROOT, `subscriptions-pglite-${count}`);
  const file = path.join(dir, "bench-setup.json");
  if (!options.fresh && fs.existsSync(file)) {
    const setup = JSON.parse(fs.readFileSync(file, "utf8")) as Setup;
    const fresh = new Date(setup.tokenExpiresAt).getTime() - Date.now() > 2 * 24 * 3600 * 1000;
    if (setup.version === 1 && setup.subscribers === count && setup.migrations === migrationsSignature() && fresh) return { dir, setup, built: false };
    console.log(`  the cached set-up in ${path.relative(repoRoot, dir)} is stale: rebuilding it`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  console.log(`  building the set-up for ${fmt(count)} subscribers through the API (once; cached in ${path.relative(repoRoot, dir)})`);
  const started = performance.now();
  const gateway = await startServer("gateway (set-up)", GATEWAY_ENTRY, [], embeddedEnv(dir), "/readyz");
  let setup: Setup;
  try {
    setup = await setUp(gateway.graphqlUrl, count);
  } finally {
    await stopGateway(gateway);
  }
  fs.writeFileSync(file, JSON.stringify(setup));
  console.log(`  set-up built in ${r1((performance.now() - started) / 1000)} s (${JSON.stringify(setup.seconds)})`);
  return { dir, setup, built: true };
}

// ---- subscribers, senders, one measured run ---------------------------------------------------------------------

interface Load {
  subscribers: Worker[];
  sender: Worker;
}

async function startLoad(): Promise<Load> {
  const subscribers: Worker[] = [];
  for (let w = 0; w < options.workers; w++) subscribers.push(await Worker.start(`subscribers-${w}`, "subscribers"));
  return { subscribers, sender: await Worker.start("sender", "sender") };
}

async function stopLoad(load: Load): Promise<void> {
  await Promise.all([...load.subscribers, load.sender].map((w) => w.stop()));
}

const workerFor = (load: Load, index: number) => load.subscribers[index % load.subscribers.length]!;

interface ConnectRecord {
  from: number;
  to: number;
  connected: number;
  failed: number;
  failures: string[];
  seconds: number;
  /** Gateway CPU per socket opened and subscribed. */
  gatewayCpuMsPerSubscriber: number;
  /** Embedded: the pub/sub reached the expected count of open subscriptions. */
  pubsubReady?: { reached: boolean; count: number; ms: number };
  /** The gateway's CPU with these subscribers idle (keep-alive pings, timers), % of one core over 5 s. */
  gatewayIdleCorePct?: number;
}

async function connect(load: Load, url: string, users: Setup["users"], from: number, to: number, gatewayPids: number[]): Promise<ConnectRecord> {
  const started = performance.now();
  const cpuBefore = gatewayPids.reduce((a, pid) => a + cpuMsOf(pid), 0);
  const byWorker = new Map<Worker, SubscriberSpec[]>();
  for (let i = from; i < to; i++) {
    const worker = workerFor(load, i);
    if (!byWorker.has(worker)) byWorker.set(worker, []);
    byWorker.get(worker)!.push({ index: i, token: users[i]!.token });
  }
  const replies = await Promise.all(
    [...byWorker].map(([worker, subscribers]) =>
      worker.call<ConnectReply>({
        type: "connect",
        url,
        query: SUBSCRIPTION,
        subscribers,
        concurrency: Math.max(1, Math.round(options.connectConcurrency / load.subscribers.length)),
        timeoutMs: 60_000,
      }),
    ),
  );
  const connected = replies.reduce((a, r) => a + r.connected, 0);
  const failed = replies.reduce((a, r) => a + r.failed, 0);
  return {
    from,
    to,
    connected,
    failed,
    failures: replies.flatMap((r) => r.failures).slice(0, 10),
    seconds: r1((performance.now() - started) / 1000),
    gatewayCpuMsPerSubscriber: r2((gatewayPids.reduce((a, pid) => a + cpuMsOf(pid), 0) - cpuBefore) / Math.max(1, to - from)),
  };
}

async function closeSubscribers(load: Load, from: number, to: number): Promise<number> {
  const byWorker = new Map<Worker, number[]>();
  for (let i = from; i < to; i++) {
    const worker = workerFor(load, i);
    if (!byWorker.has(worker)) byWorker.set(worker, []);
    byWorker.get(worker)!.push(i);
  }
  const replies = await Promise.all([...byWorker].map(([worker, indices]) => worker.call<{ closed: number }>({ type: "close", indices })));
  return replies.reduce((a, r) => a + r.closed, 0);
}

async function subscriberCounts(load: Load): Promise<Counts[]> {
  return Promise.all(load.subscribers.map((w) => w.call<Counts>({ type: "counts" })));
}

interface Totals {
  open: number;
  pending: number;
  unexpectedCloses: Record<string, number>;
  errorEvents: number;
  incompleteEvents: number;
  endedSubscriptions: number;
  errorSamples: string[];
}

function totals(counts: Counts[]): Totals {
  const closes: Record<string, number> = {};
  for (const c of counts) for (const [code, n] of Object.entries(c.unexpectedCloses)) closes[code] = (closes[code] ?? 0) + n;
  return {
    open: counts.reduce((a, c) => a + c.open, 0),
    pending: counts.reduce((a, c) => a + c.pending, 0),
    unexpectedCloses: closes,
    errorEvents: counts.reduce((a, c) => a + c.errorEvents, 0),
    incompleteEvents: counts.reduce((a, c) => a + c.incompleteEvents, 0),
    endedSubscriptions: counts.reduce((a, c) => a + c.endedSubscriptions, 0),
    errorSamples: counts.flatMap((c) => c.errorSamples).slice(0, 10),
  };
}

async function collectReceipts(load: Load): Promise<Receipts> {
  const all = await Promise.all(load.subscribers.map((w) => w.call<Receipts>({ type: "collect" })));
  return { type: "receipts", seq: all.flatMap((r) => r.seq), subscriber: all.flatMap((r) => r.subscriber), atMs: all.flatMap((r) => r.atMs) };
}

interface Scenario {
  label: string;
  mode: "embedded" | "distributed";
  /** Subscribers 0 … subscribers-1 are connected: conversations 0 … subscribers/2-1. */
  subscribers: number;
  url: string;
  setup: Setup;
  /** Processes whose CPU is accounted (name → pid); the first named "gateway…" carries the RSS figure. */
  processes: Record<string, number>;
  rssPid: number;
  usesPostgres: boolean;
  usesRedis: boolean;
}

interface RateRun {
  scenario: string;
  mode: Scenario["mode"];
  subscribers: number;
  label?: string;
  targetRate: number;
  durationSeconds: number;
  before: Quiet | null;
  sent: number;
  failedSends: number;
  failureSamples: string[];
  /** Messages the schedule asked for that could not start (the server was saturated). */
  behind: number;
  sentPerSecond: number;
  expectedDeliveries: number;
  delivered: number;
  deliveredPerSecond: number;
  lost: number;
  duplicates: number;
  unknown: number;
  drainSeconds: number;
  latencyMs: {
    /** Receipt − the time sendMessage returned to the sender (negative: the event came first). */
    returnToReceipt: Stats | null;
    /** Receipt − the time the sendMessage request started. */
    sendToReceipt: Stats | null;
    /** sendMessage's own HTTP round trip. */
    sendMessage: Stats | null;
  };
  cpuMs: Record<string, number>;
  cpuMsPerDelivered: Record<string, number>;
  cpuCorePct: Record<string, number>;
  /**
   * The threads of the gateway the subscribers are on, CPU ms over the run: the main thread (the event
   * loop: sockets, GraphQL, Prisma's client), the busiest other one (embedded: PGlite's worker) and the rest.
   */
  gatewayThreadsMs: { main: number; busiestOther: number; rest: number };
  gatewayRssMB: { start: number; max: number; end: number };
  machineBusyPct: number;
  otherLoadPct: number;
  subscriberHealth: Omit<Totals, "pending">;
  /** When the run was (process.hrtime µs: the clock of V8's CPU profiles). */
  windowUs: { startUs: number; endUs: number };
  /** --cpu-prof: inclusive shares of the gateway main thread's busy time in the window. */
  profileShares?: InclusiveShares;
  /**
   * Embedded: SQL statements the gateway process sent over the run (sendMessage's checks and write, the
   * events' fetches), and per message answered.
   */
  statements?: { total: number; perMessage: number };
}

const seqCounter = { next: 1 };
const targetCursor = new Map<string, number>();

async function rateRun(
  load: Load,
  scenario: Scenario,
  rate: number,
  durationSeconds: number,
  extra: { quiet?: boolean; label?: string; /** Only the first conversations. */ pairs?: number } = {},
): Promise<RateRun> {
  const pairs = Math.min(scenario.subscribers / 2, extra.pairs ?? Infinity);
  const targets = Array.from({ length: pairs }, (_, k) => ({
    conversationId: scenario.setup.conversations[k]!.id,
    tokens: [scenario.setup.users[2 * k]!.token, scenario.setup.users[2 * k + 1]!.token] as [string, string],
  }));
  const cursor = `${scenario.label}/${pairs}`;
  const firstTarget = targetCursor.get(cursor) ?? 0;
  const planned = Math.ceil(rate * durationSeconds);
  const firstSeq = seqCounter.next;
  seqCounter.next += planned + 1;
  targetCursor.set(cursor, (firstTarget + planned) % (2 * pairs));

  const before = extra.quiet === false ? null : await waitForQuiet({ ...scenario.processes, ...Object.fromEntries([...load.subscribers, load.sender].map((w) => [w.name, w.pid])) });
  await collectReceipts(load); // drop anything left over
  const healthBefore = totals(await subscriberCounts(load));
  const all = { ...scenario.processes, ...Object.fromEntries([...load.subscribers, load.sender].map((w) => [w.name, w.pid])) };
  const cpuBefore = Object.fromEntries(Object.entries(all).map(([k, pid]) => [k, cpuMsOf(pid)]));
  const threadsBefore = threadCpuMs(scenario.rssPid);
  const pgBefore = scenario.usesPostgres ? postgresCpuMs() : 0;
  const redisBefore = scenario.usesRedis ? commCpuMs("redis-server") : 0;
  const machineBefore = machineTicks();
  const selfBefore = process.cpuUsage();
  const statementsBefore = scenario.mode === "embedded" ? await statementsOf(scenario.url) : null;
  const rss = { start: rssBytesOf(scenario.rssPid), max: 0, end: 0 };
  rss.max = rss.start;
  const sampler = setInterval(() => (rss.max = Math.max(rss.max, rssBytesOf(scenario.rssPid))), 1000);
  const started = performance.now();
  const startUs = Number(process.hrtime.bigint() / 1000n);

  const sent = await load.sender.call<SentReply>({
    type: "send",
    url: scenario.url,
    rate,
    durationSeconds,
    maxInFlight: options.maxInFlight,
    targets,
    firstTarget,
    firstSeq,
  });
  const expected = sent.seq.length * 2;
  const drainStarted = performance.now();
  let last = -1;
  let stableSince = performance.now();
  for (;;) {
    const pending = totals(await subscriberCounts(load)).pending;
    if (pending >= expected) break;
    if (pending !== last) {
      last = pending;
      stableSince = performance.now();
    }
    if (performance.now() - drainStarted > options.drainSeconds * 1000) break;
    if (performance.now() - stableSince > 5000) break;
    await sleep(100);
  }
  const drainSeconds = r1((performance.now() - drainStarted) / 1000);
  const endUs = Number(process.hrtime.bigint() / 1000n);
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  rss.end = rssBytesOf(scenario.rssPid);
  rss.max = Math.max(rss.max, rss.end);
  const machineAfter = machineTicks();
  const cpuMs: Record<string, number> = {};
  for (const [k, pid] of Object.entries(all)) cpuMs[k] = Math.round(cpuMsOf(pid) - cpuBefore[k]!);
  const threads = threadSplit(scenario.rssPid, threadsBefore, threadCpuMs(scenario.rssPid));
  if (scenario.usesPostgres) cpuMs.postgres = Math.round(postgresCpuMs() - pgBefore);
  if (scenario.usesRedis) cpuMs.redis = Math.round(commCpuMs("redis-server") - redisBefore);
  const self = process.cpuUsage(selfBefore);
  const statementsAfter = statementsBefore === null ? null : await statementsOf(scenario.url);
  const receipts = await collectReceipts(load);
  const healthAfter = totals(await subscriberCounts(load));

  // Match receipts to messages: message seq → its target conversation → its two participants.
  const bySeq = new Map<number, number>();
  sent.seq.forEach((s, i) => bySeq.set(s, i));
  const seen = new Set<string>();
  const returnToReceipt: number[] = [];
  const sendToReceipt: number[] = [];
  let duplicates = 0;
  let unknown = 0;
  for (let r = 0; r < receipts.seq.length; r++) {
    const i = bySeq.get(receipts.seq[r]!);
    const who = receipts.subscriber[r]!;
    if (i === undefined) {
      unknown++;
      continue;
    }
    const k = sent.target[i]!;
    if (who !== 2 * k && who !== 2 * k + 1) {
      unknown++;
      continue;
    }
    const key = `${receipts.seq[r]}:${who}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    returnToReceipt.push(receipts.atMs[r]! - sent.returnMs[i]!);
    sendToReceipt.push(receipts.atMs[r]! - sent.startMs[i]!);
  }
  const delivered = seen.size;
  const sendWindowSeconds = sent.wallMs / 1000;
  const machineTotalMs = ((machineAfter.total - machineBefore.total) * 1000) / CLK_TCK;
  const machineBusyMs = ((machineAfter.busy - machineBefore.busy) * 1000) / CLK_TCK;
  const oursMs = Object.values(cpuMs).reduce((a, b) => a + b, 0) + (self.user + self.system) / 1000;
  const diffCloses: Record<string, number> = {};
  for (const [code, n] of Object.entries(healthAfter.unexpectedCloses)) {
    const d = n - (healthBefore.unexpectedCloses[code] ?? 0);
    if (d) diffCloses[code] = d;
  }
  const run: RateRun = {
    scenario: scenario.label,
    mode: scenario.mode,
    subscribers: scenario.subscribers,
    ...(extra.label ? { label: extra.label } : {}),
    targetRate: rate,
    durationSeconds,
    before,
    sent: sent.seq.length,
    failedSends: sent.failed,
    failureSamples: sent.failureSamples,
    behind: sent.behind,
    sentPerSecond: r1(sent.seq.length / sendWindowSeconds),
    expectedDeliveries: expected,
    delivered,
    deliveredPerSecond: r1(delivered / sendWindowSeconds),
    lost: expected - delivered,
    duplicates,
    unknown,
    drainSeconds,
    latencyMs: {
      returnToReceipt: stats(returnToReceipt),
      sendToReceipt: stats(sendToReceipt),
      sendMessage: stats(sent.returnMs.map((t, i) => t - sent.startMs[i]!)),
    },
    cpuMs,
    cpuMsPerDelivered: Object.fromEntries(Object.entries(cpuMs).map(([k, v]) => [k, r2(v / Math.max(1, delivered))])),
    cpuCorePct: Object.fromEntries(Object.entries(cpuMs).map(([k, v]) => [k, Math.round((v / wallMs) * 100)])),
    gatewayThreadsMs: threads,
    gatewayRssMB: { start: r1(rss.start / MB), max: r1(rss.max / MB), end: r1(rss.end / MB) },
    machineBusyPct: Math.round((machineBusyMs / Math.max(1, machineTotalMs)) * 100),
    otherLoadPct: Math.max(0, Math.round(((machineBusyMs - oursMs) / Math.max(1, machineTotalMs)) * 100)),
    subscriberHealth: {
      open: healthAfter.open,
      unexpectedCloses: diffCloses,
      errorEvents: healthAfter.errorEvents - healthBefore.errorEvents,
      incompleteEvents: healthAfter.incompleteEvents - healthBefore.incompleteEvents,
      endedSubscriptions: healthAfter.endedSubscriptions - healthBefore.endedSubscriptions,
      errorSamples: healthAfter.errorSamples,
    },
    windowUs: { startUs, endUs },
    ...(statementsBefore !== null && statementsAfter !== null
      ? { statements: { total: statementsAfter - statementsBefore, perMessage: r2((statementsAfter - statementsBefore) / Math.max(1, sent.seq.length)) } }
      : {}),
  };
  reportRun(run);
  return run;
}

function reportRun(run: RateRun): void {
  const l = run.latencyMs.returnToReceipt;
  const s = run.latencyMs.sendToReceipt;
  const gatewayCpu = Object.entries(run.cpuMsPerDelivered)
    .filter(([k]) => k.startsWith("gateway"))
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  console.log(
    `    ${run.scenario}${run.label ? ` (${run.label})` : ""}: target ${run.targetRate}/s → sent ${run.sentPerSecond}/s (${fmt(run.sent)}; behind ${fmt(run.behind)}, failed ${run.failedSends}), ` +
      `delivered ${run.deliveredPerSecond}/s (${fmt(run.delivered)}/${fmt(run.expectedDeliveries)}, lost ${run.lost}, dup ${run.duplicates}); ` +
      `return→receipt p50 ${l?.p50 ?? "–"} p99 ${l?.p99 ?? "–"} ms; send→receipt p50 ${s?.p50 ?? "–"} p99 ${s?.p99 ?? "–"} ms; ` +
      `CPU ms/event ${gatewayCpu}; ${run.statements ? `SQL statements/message ${run.statements.perMessage}; ` : ""}RSS max ${run.gatewayRssMB.max} MB; machine ${run.machineBusyPct}% (other ${run.otherLoadPct}%)` +
      (Object.keys(run.subscriberHealth.unexpectedCloses).length || run.subscriberHealth.errorEvents ? `  !! ${JSON.stringify(run.subscriberHealth)}` : ""),
  );
}

// ---- the embedded gateway -----------------------------------------------------------------------------------------

interface EmbeddedRecord {
  database: "pglite";
  setup: { dir: string; built: boolean; createdAt: string; seconds: Setup["seconds"] };
  connects: ConnectRecord[];
  /** The gateway's CPU with no client, % of one core over 5 s. */
  idleCorePctWithoutSubscribers: number | null;
  idle: MemoryPoint[];
  idleSlopeMBPer1000: { rss: number | null; heapUsed: number | null; rssFromZero: number | null; heapFromZero: number | null };
  runs: RateRun[];
  /** Unmeasured runs before each subscriber count's first measured one. */
  warmups: RateRun[];
  released: { from: number; to: number; closed: number; pubsubBefore: number; pubsubAfter: { reached: boolean; count: number; ms: number }; memory: MemoryPoint } | null;
  leak: LeakRecord | null;
  serverOutput: Record<string, string>;
  profile?: { file: string; summary: ProfileSummary };
}

interface LeakRecord {
  /** Sockets held (each with its subscription), and those of them that cycle a second one. */
  held: number;
  sockets: number;
  cyclesPerRound: number;
  holdMs: { min: number; max: number; zeroShare: number };
  before: MemoryPoint;
  rounds: { label: string; cycles: CyclesReply; trickle: RateRun | undefined; /** Most pub/sub subscriptions seen open during the cycles. */ pubsubPeak: number; pubsubBack: { reached: boolean; count: number; ms: number }; after: MemoryPoint; gatewayCpuMsPerCycle: number }[];
}

/** What the distributed part needs to run the embedded gateway's runs alternately with its own. */
interface EmbeddedSession {
  load: Load;
  record: EmbeddedRecord;
  scenarioFor(n: number): Scenario;
  /** The subscriber count whose message runs were left for the distributed part to interleave, if any. */
  interleaved: number | null;
}

/**
 * The embedded gateway's parts; `afterwards` runs before it stops (the distributed part, which then
 * alternates its runs with the embedded runs at its subscriber count: side by side on this noisy machine).
 */
async function embedded(meta: Record<string, unknown>, afterwards: (session: EmbeddedSession) => Promise<void>): Promise<EmbeddedRecord> {
  const { dir, setup, built } = await cachedSetup(largest);
  const runDir = path.join(DATA_DIR_ROOT, "subscriptions-run");
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.cpSync(dir, runDir, { recursive: true, filter: (src) => path.basename(src) !== "piata.lock" });
  console.log(`  embedded gateway (PGlite, a copy of ${path.relative(repoRoot, dir)})`);
  const nodeArgs = ["--expose-gc"];
  if (options.heapSnapshots) {
    fs.mkdirSync(HEAP_DIR, { recursive: true });
    nodeArgs.push(`--heapsnapshot-signal=${HEAP_SIGNAL}`, `--diagnostic-dir=${HEAP_DIR}`);
  }
  if (options.cpuProf) {
    fs.mkdirSync(PROFILE_DIR, { recursive: true });
    nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`);
  }
  const gateway = await startServer("gateway", GATEWAY_ENTRY, [], embeddedEnv(runDir), "/readyz", nodeArgs);
  const record: EmbeddedRecord = {
    database: "pglite",
    setup: { dir: path.relative(repoRoot, dir), built, createdAt: setup.createdAt, seconds: setup.seconds },
    connects: [],
    idleCorePctWithoutSubscribers: null,
    idle: [],
    idleSlopeMBPer1000: { rss: null, heapUsed: null, rssFromZero: null, heapFromZero: null },
    runs: [],
    warmups: [],
    released: null,
    leak: null,
    serverOutput: {},
  };
  meta.embeddedGateway = { entry: GATEWAY_ENTRY, nodeArgs, env: { ...embeddedEnv("<copy>"), JWT_SECRET: "<bench secret>" } };
  const load = await startLoad();
  try {
    const scenarioFor = (n: number): Scenario => ({
      label: `embedded ${fmt(n)}`,
      mode: "embedded",
      subscribers: n,
      url: gateway.graphqlUrl,
      setup,
      processes: { gateway: gateway.pid },
      rssPid: gateway.pid,
      usesPostgres: false,
      usesRedis: false,
    });
    // The gateway's own subscriptions (revocations, …) before any client.
    await waitIdle(gateway.pid);
    const base = await memoryPoint(gateway, "0 subscribers", 0);
    record.idle.push(base);
    record.idleCorePctWithoutSubscribers = await corePct(gateway.pid, 5);
    if (options.heapSnapshots) await heapSnapshot(gateway, "0-idle");
    const basePubsub = base.pubsub.subscriptions;

    // Ladder: 0 → each count, idle sockets, memory after GC.
    let connected = 0;
    for (const n of options.subscribers) {
      console.log(`  connecting subscribers ${fmt(connected)} → ${fmt(n)}`);
      const c = await connect(load, gateway.graphqlUrl, setup.users, connected, n, [gateway.pid]);
      c.pubsubReady = await waitForPubsub(gateway, basePubsub + n);
      record.connects.push(c);
      console.log(`    ${fmt(c.connected)} connected, ${c.failed} failed in ${c.seconds} s; gateway ${c.gatewayCpuMsPerSubscriber} CPU ms per subscriber; pub/sub ${c.pubsubReady.count} (${c.pubsubReady.reached ? "all" : "NOT all"} subscribed)`);
      if (c.failed) console.log(`    failures: ${c.failures.join(" | ")}`);
      connected = n;
      await waitIdle(gateway.pid);
      c.gatewayIdleCorePct = await corePct(gateway.pid, 5);
      if (wants("idle")) record.idle.push(await memoryPoint(gateway, `${fmt(n)} idle subscribers`, n));
      if (options.heapSnapshots) await heapSnapshot(gateway, `${n}-idle`);
    }
    const [lo, hi] = [record.idle.at(-2), record.idle.at(-1)];
    if (wants("idle") && lo && hi && hi.subscribers > lo.subscribers) {
      const per = (a: number, b: number, na: number, nb: number) => r1(((b - a) / (nb - na)) * 1000);
      record.idleSlopeMBPer1000 = {
        rss: per(lo.rssMB, hi.rssMB, lo.subscribers, hi.subscribers),
        heapUsed: per(lo.heapUsedMB, hi.heapUsedMB, lo.subscribers, hi.subscribers),
        rssFromZero: per(base.rssMB, hi.rssMB, 0, hi.subscribers),
        heapFromZero: per(base.heapUsedMB, hi.heapUsedMB, 0, hi.subscribers),
      };
      console.log(`    per 1,000 idle subscribers: RSS ${record.idleSlopeMBPer1000.rss} MB, heap ${record.idleSlopeMBPer1000.heapUsed} MB (${fmt(lo.subscribers)} → ${fmt(hi.subscribers)})`);
    }

    // Messages at each count, largest first; then close down to the next count and check the release.
    const interleaved = wants("messages") && wants("distributed") && options.subscribers[0] === options.distributedSubscribers ? options.distributedSubscribers : null;
    const descending = [...options.subscribers].reverse();
    for (let i = 0; i < descending.length; i++) {
      const n = descending[i]!;
      if (n === interleaved) console.log(`  (the runs with ${fmt(n)} subscribers alternate with the distributed ones, later)`);
      else if (wants("messages")) {
        if (options.warmupSeconds) record.warmups.push(await rateRun(load, scenarioFor(n), Math.min(...options.rates), options.warmupSeconds, { quiet: false, label: "warm-up" }));
        for (const rate of options.rates) record.runs.push(await rateRun(load, scenarioFor(n), rate, options.durationSeconds));
      }
      const next = descending[i + 1];
      if (next !== undefined) {
        console.log(`  closing subscribers ${fmt(next)} … ${fmt(n - 1)} (the clients leave)`);
        const pubsubBefore = (await gatewayMemory(gateway, false)).pubsub.subscriptions;
        const closed = await closeSubscribers(load, next, n);
        const pubsubAfter = await waitForPubsub(gateway, basePubsub + next, 60_000);
        await waitIdle(gateway.pid);
        const memory = await memoryPoint(gateway, `after closing ${fmt(closed)} sockets (${fmt(next)} left)`, next);
        record.released = { from: n, to: next, closed, pubsubBefore, pubsubAfter, memory };
        console.log(`    pub/sub subscriptions ${pubsubBefore} → ${pubsubAfter.count} (${pubsubAfter.reached ? "released" : "NOT released"} in ${pubsubAfter.ms} ms)`);
      }
    }

    if (wants("leak")) record.leak = await leakCheck(load, gateway, scenarioFor(options.subscribers[0]!), basePubsub);
    // Sockets beyond the smallest count are closed by now: the interleaved count must be that one.
    await afterwards({ load, record, scenarioFor, interleaved });
  } finally {
    await stopLoad(load);
    record.serverOutput = await stopGateway(gateway);
    if (options.cpuProf) record.profile = profileOf(gateway.pid, record.runs);
  }
  return record;
}

async function leakCheck(load: Load, gateway: Server, scenario: Scenario, basePubsub: number): Promise<LeakRecord> {
  const held = scenario.subscribers;
  const sockets = Math.min(options.leakSockets, held);
  const minHoldMs = 50;
  const zeroHoldShare = 0.2;
  console.log(
    `  leak check: ${fmt(options.leakWarmup)} + ${fmt(options.leakCycles)} subscribe/complete cycles (${options.leakRate}/s) on ${fmt(sockets)} of the ${fmt(held)} held sockets, ${options.leakTrickle} messages/s meanwhile in their conversations`,
  );
  await waitIdle(gateway.pid);
  const before = await memoryPoint(gateway, "before the cycles", held);
  if (options.heapSnapshots) await heapSnapshot(gateway, "leak-before");
  const record: LeakRecord = { held, sockets, cyclesPerRound: options.leakCycles, holdMs: { min: minHoldMs, max: options.leakHoldMs, zeroShare: zeroHoldShare }, before, rounds: [] };
  const indices = Array.from({ length: sockets }, (_, i) => i);
  const perWorker = load.subscribers.map((w) => indices.filter((i) => workerFor(load, i) === w));
  const rounds = [...(options.leakWarmup ? [{ label: "warm-up", cycles: options.leakWarmup }] : []), { label: "measured", cycles: options.leakCycles }];
  for (const { label, cycles: roundCycles } of rounds) {
    const cpuBefore = cpuMsOf(gateway.pid);
    const cyclesDone = Promise.all(
      load.subscribers.map((w, k) =>
        perWorker[k]!.length
          ? w.call<CyclesReply>({
              type: "cycles",
              indices: perWorker[k]!,
              query: SUBSCRIPTION.replace("BenchMessages", "BenchCycle"),
              cycles: Math.round((roundCycles * perWorker[k]!.length) / sockets),
              ratePerSecond: (options.leakRate * perWorker[k]!.length) / sockets,
              minHoldMs,
              maxHoldMs: options.leakHoldMs,
              zeroHoldShare,
            })
          : Promise.resolve<CyclesReply>({ type: "cycles", cycles: 0, ms: 0, cycleEvents: 0, errors: 0, errorSamples: [] }),
      ),
    );
    // Messages flow meanwhile, as long as the cycles take: the held subscriptions must still get
    // every one, the cycling ones get some (they are live).
    const meanHoldMs = (1 - zeroHoldShare) * ((minHoldMs + options.leakHoldMs) / 2);
    const estimateSeconds = Math.max(5, Math.ceil(Math.max(roundCycles / options.leakRate, ((roundCycles / sockets) * meanHoldMs) / 1000)));
    let peak = 0;
    let cycling = true;
    const sampling = (async () => {
      while (cycling) {
        peak = Math.max(peak, (await gatewayMemory(gateway, false)).pubsub.subscriptions);
        await sleep(250);
      }
    })();
    const [replies, trickle] = await Promise.all([
      cyclesDone.finally(() => (cycling = false)),
      options.leakTrickle
        ? rateRun(load, scenario, options.leakTrickle, estimateSeconds, { quiet: false, label: `leak check, ${label}`, pairs: Math.max(1, Math.floor(sockets / 2)) })
        : undefined,
    ]);
    await sampling;
    const gatewayCpuMs = cpuMsOf(gateway.pid) - cpuBefore;
    const cycles: CyclesReply = {
      type: "cycles",
      cycles: replies.reduce((a, r) => a + r.cycles, 0),
      ms: Math.max(...replies.map((r) => r.ms)),
      cycleEvents: replies.reduce((a, r) => a + r.cycleEvents, 0),
      errors: replies.reduce((a, r) => a + r.errors, 0),
      errorSamples: replies.flatMap((r) => r.errorSamples).slice(0, 10),
    };
    const pubsubBack = await waitForPubsub(gateway, basePubsub + held, 60_000);
    await waitIdle(gateway.pid);
    const after = await memoryPoint(gateway, `after the ${label} cycles`, held);
    if (options.heapSnapshots) await heapSnapshot(gateway, `leak-after-${label}`);
    record.rounds.push({ label, cycles, trickle, pubsubPeak: peak, pubsubBack, after, gatewayCpuMsPerCycle: r2(gatewayCpuMs / Math.max(1, cycles.cycles)) });
    console.log(
      `    ${label}: ${fmt(cycles.cycles)} cycles in ${r1(cycles.ms / 1000)} s (${cycles.errors} errors, ${fmt(cycles.cycleEvents)} events on the cycling subscriptions, up to ${peak - basePubsub - held} of them open at once); ` +
        `pub/sub back to ${pubsubBack.count} (${pubsubBack.reached ? "baseline" : "NOT baseline"}); heap ${before.heapUsedMB} → ${after.heapUsedMB} MB, RSS ${before.rssMB} → ${after.rssMB} MB`,
    );
    if (cycles.errors) console.log(`    cycle errors: ${cycles.errorSamples.join(" | ")}`);
  }
  return record;
}

// ---- distributed -----------------------------------------------------------------------------------------------------

interface DistributedRecord {
  subscribers: number;
  processes: Record<string, number>;
  setupSeconds: Setup["seconds"];
  connect: ConnectRecord | null;
  warmup: RateRun | null;
  runs: RateRun[];
}

/** This process's children: pid → command line (the deployment helper does not hand out its pids). */
function childProcesses(): { pid: number; cmdline: string[]; env: Record<string, string> }[] {
  const out: { pid: number; cmdline: string[]; env: Record<string, string> }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== process.pid) continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
      const env = Object.fromEntries(
        fs
          .readFileSync(`/proc/${entry}/environ`, "utf8")
          .split("\0")
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
      );
      out.push({ pid: Number(entry), cmdline, env });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

const deploymentPids = new Set<number>();
process.on("exit", () => {
  for (const pid of deploymentPids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

async function distributed(meta: Record<string, unknown>, embeddedSession: EmbeddedSession | null): Promise<DistributedRecord> {
  // The helper makes a PostgreSQL database of its own when the tests' backend is PostgreSQL.
  process.env.TEST_DATABASE = "postgres";
  const { startDeployment } = await import("../tests/utils/distributed.ts");
  const env = {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    APOLLO_TELEMETRY_DISABLED: "true",
    RATE_LIMIT_REQUESTS_PER_MINUTE: UNLIMITED_RATE,
    RATE_LIMIT_MUTATIONS_PER_MINUTE: UNLIMITED_RATE,
    ...BENCH_ENV,
  };
  meta.distributedEnv = env;
  console.log("  distributed: users, listings and chat subgraph processes, gateways A and B, PostgreSQL, Redis");
  const started = performance.now();
  const deployment = await startDeployment({ gateways: 2, env });
  const [urlA, urlB] = deployment.gateways as [string, string];
  const children = childProcesses();
  for (const c of children) deploymentPids.add(c.pid);
  const processes: Record<string, number> = {};
  for (const c of children) {
    const script = c.cmdline.find((a) => a.endsWith(".ts"));
    if (script?.endsWith("gateway/index.ts")) {
      const port = c.env.PORT;
      processes[urlA.includes(`:${port}/`) ? "gateway A" : urlB.includes(`:${port}/`) ? "gateway B" : `gateway :${port}`] = c.pid;
    } else if (script?.endsWith("subgraphs/serve.ts")) processes[`${c.cmdline.at(-1)} subgraph`] = c.pid;
  }
  console.log(`    deployment ready in ${r1((performance.now() - started) / 1000)} s: ${Object.entries(processes).map(([k, v]) => `${k} (pid ${v})`).join(", ")}`);
  const n = options.distributedSubscribers;
  const record: DistributedRecord = { subscribers: n, processes, setupSeconds: { signUp: 0, listings: 0, conversations: 0 }, connect: null, warmup: null, runs: [] };
  const load = await startLoad();
  try {
    console.log(`  set-up through gateway A: ${fmt(n)} users, ${fmt(n / 2)} listings and conversations`);
    const setup = await setUp(urlA, n);
    record.setupSeconds = setup.seconds;
    console.log(`    ${JSON.stringify(setup.seconds)} s`);
    const gatewayB = processes["gateway B"]!;
    const c = await connect(load, urlB, setup.users, 0, n, [gatewayB]);
    record.connect = c;
    console.log(`    ${fmt(c.connected)} subscribers on gateway B, ${c.failed} failed, in ${c.seconds} s`);
    const scenario: Scenario = {
      label: `distributed ${fmt(n)}`,
      mode: "distributed",
      subscribers: n,
      url: urlA,
      setup,
      processes,
      rssPid: gatewayB,
      usesPostgres: true,
      usesRedis: true,
    };
    // The upstream subscriptions (gateway B → chat over graphql-ws, chat → Redis) are open when one
    // message per conversation reaches both its participants.
    await sleep(2000);
    record.warmup = await rateRun(load, scenario, 50, Math.max(2, Math.ceil(n / 2 / 50)), { quiet: false, label: "warm-up: one message per conversation" });
    // With the embedded gateway still up (its sockets held), its runs at this count alternate with these.
    const interleaved = embeddedSession?.interleaved ?? null;
    const rates = interleaved ? [...new Set([...options.rates, ...options.distributedRates])] : options.distributedRates;
    for (const rate of rates) {
      if (interleaved && options.rates.includes(rate)) {
        embeddedSession!.record.runs.push(await rateRun(embeddedSession!.load, embeddedSession!.scenarioFor(interleaved), rate, options.durationSeconds));
      }
      if (options.distributedRates.includes(rate)) record.runs.push(await rateRun(load, scenario, rate, options.durationSeconds));
    }
  } finally {
    await stopLoad(load);
    await deployment.stop();
    deploymentPids.clear();
  }
  return record;
}

// ---- results -------------------------------------------------------------------------------------------------------

function ms(s: Stats | null, key: keyof Stats): string {
  return s ? String(s[key]) : "–";
}

function perMessage(run: RateRun): string {
  const t = run.gatewayThreadsMs;
  const n = Math.max(1, run.sent);
  return `${r2(t.main / n)} / ${r2(t.busiestOther / n)} / ${r2(t.rest / n)}`;
}

function runRows(runs: RateRun[]): string[] {
  const rows = [
    "| subscribers | target msg/s | sent msg/s (behind) | delivered events/s | lost | return→receipt p50 / p99 ms | send→receipt p50 / p99 ms | sendMessage p50 / p99 ms | subscribers' gateway, CPU ms per message: main thread / busiest other thread / rest | CPU ms per delivered event, by process | SQL statements per message | RSS max MB | machine busy (other) |",
    "|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|",
  ];
  for (const run of runs) {
    const l = run.latencyMs;
    const cpu = Object.entries(run.cpuMsPerDelivered)
      .filter(([k]) => !k.startsWith("subscribers") && k !== "sender")
      .map(([k, v]) => `${k} ${v < 0 ? "n/a" : v}`)
      .join(", ");
    rows.push(
      `| ${fmt(run.subscribers)}${run.label ? ` (${run.label})` : ""} | ${run.targetRate} | ${run.sentPerSecond}${run.behind ? ` (${fmt(run.behind)})` : ""} | ${run.deliveredPerSecond} | ${run.lost}${run.failedSends ? ` (+${run.failedSends} failed sends)` : ""} | ${ms(l.returnToReceipt, "p50")} / ${ms(l.returnToReceipt, "p99")} | ${ms(l.sendToReceipt, "p50")} / ${ms(l.sendToReceipt, "p99")} | ${ms(l.sendMessage, "p50")} / ${ms(l.sendMessage, "p99")} | ${perMessage(run)} | ${cpu} | ${run.statements ? run.statements.perMessage : "–"} | ${run.gatewayRssMB.max} | ${run.machineBusyPct}% (${run.otherLoadPct}%) |`,
    );
  }
  return rows;
}

interface Results {
  meta: Record<string, unknown> & { date: string; git: ReturnType<typeof gitState>; cpuProbeMs: { start: number; end?: number }; machine: Record<string, unknown>; node: string };
  embedded: EmbeddedRecord | null;
  distributed: DistributedRecord | null;
  benchSeconds: number;
}

function verdicts(results: Results): string[] {
  const out: string[] = [];
  const e = results.embedded;
  if (e) {
    const top = e.connects.at(-1);
    const runsTop = e.runs.filter((r) => r.subscribers === largest);
    const lostTop = runsTop.reduce((a, r) => a + r.lost, 0);
    const failedTop = runsTop.reduce((a, r) => a + r.failedSends, 0);
    const closesTop = runsTop.reduce((a, r) => a + Object.values(r.subscriberHealth.unexpectedCloses).reduce((x, y) => x + y, 0), 0);
    const errorEventsTop = runsTop.reduce((a, r) => a + r.subscriberHealth.errorEvents + r.subscriberHealth.endedSubscriptions, 0);
    if (top) {
      const connected = e.connects.reduce((a, c) => a + c.connected, 0);
      const failed = e.connects.reduce((a, c) => a + c.failed, 0);
      const held = connected === largest && !!top.pubsubReady?.reached && closesTop === 0 && lostTop === 0 && errorEventsTop === 0;
      out.push(
        `| ${fmt(largest)} subscribers held | ${held ? "**met**" : "**missed**"} | ${fmt(connected)} sockets connected and subscribed (${failed} failed), the pub/sub held ${fmt(top.pubsubReady?.count ?? 0)} subscriptions (1 is the gateway's own); over ${runsTop.length} message runs: ${closesTop} sockets closed by the gateway, ${errorEventsTop} subscriptions ended or errored, ${lostTop} events lost${failedTop ? ` (and ${failedTop} sendMessage calls failed: see the gateway output)` : ""} |`,
      );
    }
    const at1000 = runsTop.find((r) => r.targetRate === 1000) ?? runsTop.at(-1);
    if (at1000) {
      const p99 = at1000.latencyMs.returnToReceipt?.p99;
      const reached = at1000.sentPerSecond >= 0.95 * 1000;
      // What a message costs the gateway where it took the most (fixed costs such as keep-alive pings
      // and collecting a large heap weigh less per message there).
      const measured = runsTop.filter((r) => r.sent > 0 && !r.label);
      const busiest = measured.sort((a, b) => b.sentPerSecond - a.sentPerSecond)[0];
      const cost = busiest
        ? `; at the most it took (${busiest.sentPerSecond} messages/s) a message cost the gateway ${r1(busiest.cpuMs.gateway! / busiest.sent)} ms of CPU (${r1(busiest.gatewayThreadsMs.main / busiest.sent)} main thread, ${r1(busiest.gatewayThreadsMs.busiestOther / busiest.sent)} PGlite's thread, ${r1(busiest.gatewayThreadsMs.rest / busiest.sent)} other threads): 1,000 messages/s would take ${r1(busiest.cpuMs.gateway! / busiest.sent)} cores, and PGlite's one thread alone caps it near ${fmt(Math.round(1000 / Math.max(0.01, busiest.gatewayThreadsMs.busiestOther / busiest.sent)))} messages/s`
        : "";
      out.push(
        `| p99 ≤ 100 ms at 1,000 messages/s | ${reached && p99 !== undefined && p99 <= 100 ? "**met**" : "**missed**"} | asked ${at1000.targetRate}/s, the gateway took ${at1000.sentPerSecond} sendMessage/s (${at1000.deliveredPerSecond} events/s delivered to ${fmt(at1000.subscribers)} subscribers); p99 return→receipt ${p99 ?? "–"} ms, send→receipt ${at1000.latencyMs.sendToReceipt?.p99 ?? "–"} ms${cost} |`,
      );
    }
    const slope = e.idleSlopeMBPer1000.rss;
    if (slope !== null) {
      out.push(`| ≤ 20 MB RSS per 1,000 idle subscribers | ${slope <= 20 ? "**met**" : "**missed**"} | ${slope} MB RSS (${e.idleSlopeMBPer1000.heapUsed} MB of JS heap) per 1,000, from ${e.idle.at(-2)?.subscribers} to ${e.idle.at(-1)?.subscribers} idle subscribers, after GC |`);
    }
    if (e.leak) {
      const l = e.leak;
      const first = l.rounds[0];
      const last = l.rounds.at(-1);
      // No round measured proves nothing: both verdicts need at least one.
      const back = l.rounds.length > 0 && l.rounds.every((r) => r.pubsubBack.reached);
      // Timers come and go (a keep-alive ping awaiting its pong): a few either way are not a leak.
      const handles = l.rounds.length > 0 && l.rounds.every((r) => Math.abs(Number(handlesText(r)) - Number(handlesText(l.before))) <= Math.max(20, l.held / 100));
      // Growth past the warm-up (which also fills caches and compiles code) is what a leak would show.
      const growthMB = first && last ? (l.rounds.length > 1 ? last.after.heapUsedMB - first.after.heapUsedMB : last.after.heapUsedMB - l.before.heapUsedMB) : 0;
      const perCycle = Math.round((growthMB * MB) / l.cyclesPerRound);
      const ok = back && handles && perCycle < 200;
      out.push(
        `| released on leave, no leak after ${fmt(l.cyclesPerRound)} subscribe/complete cycles | ${ok ? "**met**" : "**check**"} | the pub/sub back to ${l.rounds.map((r) => fmt(r.pubsubBack.count)).join(", ")} subscriptions after ${l.rounds.map((r) => r.label).join(" and ")} (${fmt(l.held)} held + the gateway's own); heap after GC ${l.before.heapUsedMB} → ${l.rounds.map((r) => r.after.heapUsedMB).join(" → ")} MB (${perCycle} bytes per cycle ${l.rounds.length > 1 ? "over the measured cycles" : "including the first"}); RSS ${l.before.rssMB} → ${l.rounds.map((r) => r.after.rssMB).join(" → ")} MB; active handles ${handlesText(l.before)} → ${l.rounds.map((r) => handlesText(r.after)).join(" → ")}${e.released ? `; closing ${fmt(e.released.closed)} sockets released ${fmt(e.released.pubsubBefore - e.released.pubsubAfter.count)} subscriptions` : ""} |`,
      );
    }
  }
  return out;
}

function handlesText(p: MemoryPoint | { after: MemoryPoint }): string {
  const point = "after" in p ? p.after : p;
  return String(Object.values(point.resources).reduce((a, b) => a + b, 0));
}

function markdown(results: Results): string {
  const { meta, embedded: e, distributed: d } = results;
  const machine = meta.machine as { cpuModel: string; cpuCount: number; memoryGiB: number; os: string };
  const out: string[] = [];
  out.push(`# Subscriptions benchmark, ${meta.date}`);
  out.push("");
  out.push(
    `Machine: ${machine.cpuModel} × ${machine.cpuCount}, ${machine.memoryGiB} GiB, ${machine.os}; Node ${meta.node}; shared with other work (see "machine busy"). ` +
      `Command: \`${meta.command}\`. Commit ${String(meta.git.head).slice(0, 12)}${meta.git.dirty.length ? ` (files differing meanwhile: ${meta.git.dirty.join(", ")})` : ""}.`,
  );
  out.push("");
  const v = verdicts(results);
  if (v.length) {
    out.push("## Targets");
    out.push("");
    out.push("| target | verdict | measured |");
    out.push("|---|---|---|");
    out.push(...v);
    out.push("");
  }
  if (e) {
    out.push(`## Embedded gateway (PGlite)`);
    out.push("");
    out.push(
      `One gateway process (\`${GATEWAY_ENTRY}\` → gateway/index.ts, NODE_ENV=production, --expose-gc), every subgraph in it, PGlite on its worker thread; a copy of the cached set-up (${e.setup.dir}, built ${e.setup.createdAt}${e.setup.built ? " by this run" : ""}: sign-ups ${e.setup.seconds.signUp} s, listings ${e.setup.seconds.listings} s, conversations ${e.setup.seconds.conversations} s).`,
    );
    out.push("");
    if (e.connects.length) {
      out.push("Connecting (graphql-ws clients, connection_init with the token, then the subscription):");
      out.push("");
      out.push("| subscribers | connected | failed | seconds | gateway CPU ms per subscriber | pub/sub subscriptions open | gateway CPU when idle, % of a core |");
      out.push("|--:|--:|--:|--:|--:|--:|--:|");
      out.push(`| 0 | – | – | – | – | ${e.idle[0]?.pubsub.subscriptions ?? "–"} | ${e.idleCorePctWithoutSubscribers ?? "–"} |`);
      for (const c of e.connects) {
        out.push(`| ${fmt(c.from)} → ${fmt(c.to)} | ${fmt(c.connected)} | ${c.failed} | ${c.seconds} | ${c.gatewayCpuMsPerSubscriber} | ${c.pubsubReady?.count ?? "–"} | ${c.gatewayIdleCorePct ?? "–"} |`);
      }
      out.push("");
    }
    if (e.idle.length) {
      out.push("### Idle subscribers: gateway memory after GC");
      out.push("");
      out.push("| point | RSS MB | heap used MB | heap total MB | external MB | pub/sub subscriptions | active handles |");
      out.push("|---|--:|--:|--:|--:|--:|---|");
      const points = [...e.idle, ...(e.released ? [e.released.memory] : [])];
      for (const p of points) {
        out.push(`| ${p.label} | ${p.rssMB} | ${p.heapUsedMB} | ${p.heapTotalMB} | ${p.externalMB} | ${p.pubsub.subscriptions} | ${Object.entries(p.resources).map(([k, n]) => `${k} ${n}`).join(", ")} |`);
      }
      out.push("");
      const s = e.idleSlopeMBPer1000;
      if (s.rss !== null) out.push(`Per 1,000 idle subscribers: **${s.rss} MB RSS**, ${s.heapUsed} MB of JS heap (between the last two counts); from 0: ${s.rssFromZero} MB RSS, ${s.heapFromZero} MB heap.`);
      out.push("");
    }
    if (e.runs.length) {
      out.push("### Messages");
      out.push("");
      out.push(...runRows(e.runs));
      out.push("");
    }
    if (e.profile) {
      const profiled = e.runs.filter((r) => r.profileShares);
      out.push(`CPU profile of the gateway's main thread (--cpu-prof, ${e.profile.file}): inclusive share of its busy time per run (a sample counts for every group on its stack):`);
      out.push("");
      out.push(`| group | ${profiled.map((r) => `${fmt(r.subscribers)} @ ${r.targetRate}/s`).join(" | ")} |`);
      out.push(`|---|${profiled.map(() => "--:").join("|")}|`);
      out.push(`| busy ms | ${profiled.map((r) => r.profileShares!.busyMs).join(" | ")} |`);
      for (const group of Object.keys(PROFILE_GROUPS)) out.push(`| ${group} | ${profiled.map((r) => `${r.profileShares!.groups[group]?.pct ?? 0} %`).join(" | ")} |`);
      out.push("");
      out.push("```");
      out.push(formatSummary(e.profile.summary));
      out.push("```");
      out.push("");
    }
    if (e.released) {
      const r = e.released;
      out.push(
        `Closing ${fmt(r.closed)} sockets (${fmt(r.from)} → ${fmt(r.to)} subscribers): the pub/sub's open subscriptions went ${r.pubsubBefore} → ${r.pubsubAfter.count} (${r.pubsubAfter.reached ? `all released within ${r.pubsubAfter.ms} ms` : "**not all released**"}); after GC RSS ${r.memory.rssMB} MB, heap ${r.memory.heapUsedMB} MB.`,
      );
      out.push("");
    }
    if (e.leak) {
      const l = e.leak;
      out.push("### Leak check: subscribe/complete cycles");
      out.push("");
      out.push(
        `${l.rounds.map((r) => `${fmt(r.cycles.cycles)} (${r.label})`).join(" then ")} cycles at ${options.leakRate} cycles/s on ${fmt(l.sockets)} of the ${fmt(l.held)} held sockets: each keeps its own subscription and, over and over, opens a second one (the same document) and completes it after ${l.holdMs.min}–${l.holdMs.max} ms, or at once for one cycle in ${Math.round(1 / l.holdMs.zeroShare)} (then the complete races the gateway's set-up). Meanwhile ${options.leakTrickle} messages/s flow in these sockets' conversations. Memory after GC:`,
      );
      out.push("");
      out.push("| point | cycles (s) | errors | events on cycling subscriptions | most cycling subscriptions open at once (pub/sub) | gateway CPU ms per cycle (messages included) | pub/sub subscriptions after | heap used MB | RSS MB | active handles | held subscriptions meanwhile: lost / p99 ms |");
      out.push("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|");
      out.push(`| before (${fmt(l.held)} sockets held) | – | – | – | – | – | ${l.before.pubsub.subscriptions} | ${l.before.heapUsedMB} | ${l.before.rssMB} | ${Object.entries(l.before.resources).map(([k, n]) => `${k} ${n}`).join(", ")} | – |`);
      l.rounds.forEach((r) =>
        out.push(
          `| after the ${r.label} cycles | ${fmt(r.cycles.cycles)} (${r1(r.cycles.ms / 1000)}) | ${r.cycles.errors} | ${fmt(r.cycles.cycleEvents)} | ${fmt(Math.max(0, r.pubsubPeak - l.before.pubsub.subscriptions))} | ${r.gatewayCpuMsPerCycle} | ${r.pubsubBack.count} | ${r.after.heapUsedMB} | ${r.after.rssMB} | ${Object.entries(r.after.resources).map(([k, n]) => `${k} ${n}`).join(", ")} | ${r.trickle ? `${r.trickle.lost}${r.trickle.failedSends ? ` (+${r.trickle.failedSends} failed sends)` : ""} / ${ms(r.trickle.latencyMs.returnToReceipt, "p99")}` : "–"} |`,
        ),
      );
      out.push("");
    }
    if (Object.keys(e.serverOutput).length) {
      out.push("Gateway output (beyond the ready line and the memory reports):");
      out.push("");
      out.push("```");
      for (const [name, text] of Object.entries(e.serverOutput)) out.push(`[${name}]\n${text.slice(0, 1500)}`);
      out.push("```");
      out.push("");
    }
  }
  if (d) {
    out.push("## Distributed: two gateways, Redis");
    out.push("");
    out.push(
      `tests/utils/distributed.ts's deployment (NODE_ENV=production): the users, listings and chat subgraphs as processes, gateways A and B, a fresh PostgreSQL database, Redis at 127.0.0.1:6379. ${fmt(d.subscribers)} subscribers on gateway B (set up through A: sign-ups ${d.setupSeconds.signUp} s, listings ${d.setupSeconds.listings} s, conversations ${d.setupSeconds.conversations} s); sendMessage through gateway A; each event goes chat → Redis → chat's graphql-ws → gateway B (which fetches sender.displayName from the users process) → the client.`,
    );
    out.push("");
    out.push(...runRows([...(d.warmup ? [d.warmup] : []), ...d.runs]));
    out.push("");
  }
  const embeddedMatch = e?.runs.filter((r) => r.subscribers === Math.min(largest, options.distributedSubscribers)) ?? [];
  if (d && embeddedMatch.length && d.runs.length) {
    out.push("Side by side, same subscriber count, the embedded and the distributed run of each rate one right after the other (p50 / p99 return→receipt, ms; the rate each took):");
    out.push("");
    out.push("| target msg/s | embedded | distributed | distributed / embedded p50 |");
    out.push("|--:|--:|--:|--:|");
    for (const run of d.runs) {
      const em = embeddedMatch.find((r) => r.targetRate === run.targetRate);
      const a = em?.latencyMs.sendToReceipt;
      const b = run.latencyMs.sendToReceipt;
      out.push(
        `| ${run.targetRate} | ${em ? `${ms(em.latencyMs.returnToReceipt, "p50")} / ${ms(em.latencyMs.returnToReceipt, "p99")} (${em.sentPerSecond}/s)` : "–"} | ${ms(run.latencyMs.returnToReceipt, "p50")} / ${ms(run.latencyMs.returnToReceipt, "p99")} (${run.sentPerSecond}/s) | ${a && b && a.p50 > 0 ? `${r2(b.p50 / a.p50)}× (send→receipt)` : "–"} |`,
      );
    }
    out.push("");
  }
  out.push("## Method");
  out.push("");
  out.push(
    [
      `- Subscribers: graphql-ws's own client (\`createClient\`, lazy: false, no retries), one socket per signed-up user, in ${options.workers} load-generator process(es) (bench/subscriptions-worker.ts); each holds \`${SUBSCRIPTION}\` (no argument: every message of the user's conversations; \`sender { displayName }\` comes from the users subgraph). User 2k is the buyer and user 2k+1 the seller (with a published listing) of conversation k, so N subscribers make N/2 conversations, and every message is delivered to 2 subscribers: its recipient and its sender's own app.`,
      `- Before the first measured run at each embedded subscriber count, ${options.warmupSeconds} s of unmeasured sending at the lowest rate (in the JSON: \`warmups\`); the distributed part's warm-up sends one message per conversation.`,
      `- Messages: a separate sender process calls sendMessage over HTTP (keep-alive, up to ${options.maxInFlight} unanswered at once) on a fixed schedule, cycling over the conversations (the buyer writing in one pass, the seller in the next; each run goes on where the last one stopped); the body ends with a sequence number. When the server answers slower than the schedule, at most ${options.maxInFlight} wait and the rest is "behind": the sent rate is then what the server took.`,
      "- Latency: process.hrtime (CLOCK_MONOTONIC, one clock for every process of the machine). return→receipt = the subscriber's receipt − the time sendMessage's HTTP answer reached the sender (the product owner's definition); it is negative when the event reaches the subscriber before the HTTP answer reaches the sender (the chat subgraph publishes before it answers). send→receipt = receipt − the start of the sendMessage request (an upper bound including the write). Percentiles are exact (nearest rank) over every delivery of the run.",
      `- Lost = deliveries expected (2 per message answered without errors) − distinct deliveries received within ${options.drainSeconds} s after the last answer (the drain stops earlier once all have arrived). Sockets the gateway closed, error events and events without the sender's displayName are counted separately (none unless listed).`,
      `- CPU ms per delivered event: utime+stime of each process (/proc/<pid>/stat, CLK_TCK ${CLK_TCK}) over the run (sending + drain) ÷ delivered events; it includes handling sendMessage itself (the write, in embedded mode on PGlite's thread inside the gateway process). postgres = every \`postgres\` process; redis = redis-server.`,
      "- SQL statements per message (embedded): the gateway process's piata_db_statements_total (every statement its Prisma clients send: sendMessage's checks and write, the events' `sender` fetches, and any background work such as the job queue's polling) read from /metrics before and after the run, ÷ messages answered.",
      "- Memory: the gateway is started through bench/subscriptions-gateway.ts, which imports gateway/index.ts and, on a signal, runs gc() until the heap stops shrinking and prints process.memoryUsage(), process.getActiveResourcesInfo() counted by kind, and the in-memory pub/sub's open subscriptions (graphql-subscriptions' PubSub table and EventEmitter listeners). RSS includes PGlite (PostgreSQL in WebAssembly: its memory is part of the process).",
      `- Every process of the benchmark gets rate limits of ${fmt(Number(UNLIMITED_RATE))} (requests, mutations, sign-up/sign-in per IP and account) and CHAT_MESSAGES_PER_MINUTE ${fmt(Number(UNLIMITED_RATE))}, ACCESS_TOKEN_TTL_SECONDS ${TOKEN_TTL_SECONDS} (the cached tokens outlive a run); MAX_SUBSCRIPTIONS_PER_CONNECTION and MAX_QUEUED_EVENTS keep their defaults (20, 100): a socket holds at most 2 operations here.`,
      `- Open files: ${meta.openFiles} per process (ulimit -n); the subscriber process and the gateway each hold one descriptor per socket.`,
      `- ${quietMethod()} CPU probe (100 M iterations of a JavaScript loop, lower is faster): ${meta.cpuProbeMs.start} ms at the start, ${meta.cpuProbeMs.end ?? "–"} ms at the end. "machine busy (other)": all cores' busy share over the run, and the part no process of this benchmark accounts for.`,
      `- Benchmark wall time: ${results.benchSeconds} s.`,
    ].join("\n"),
  );
  out.push("");
  return out.join("\n");
}

// ---- main ----------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const openFiles = openFilesLimit();
  const needed = largest + 1000;
  if (embeddedParts.length && openFiles < needed) {
    throw new Error(`ulimit -n is ${openFiles}: ${fmt(largest)} subscribers need about ${fmt(needed)} open files in the gateway and the subscriber process; raise it (ulimit -n ${needed}) or lower --subscribers`);
  }
  const started = performance.now();
  const meta = {
    date: localDate(),
    command: `npm run bench:subscriptions${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
    git: gitState(),
    cpuProbeMs: { start: cpuProbeMs() } as { start: number; end?: number },
    startedAt: new Date().toISOString(),
    machine: { os: `${os.type()} ${os.release()} ${os.arch()}`, cpuModel: os.cpus()[0]?.model ?? "unknown", cpuCount: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
    node: process.version,
    openFiles,
    options,
    subscription: SUBSCRIPTION,
  } as Results["meta"];
  console.log(`subscriptions benchmark: parts ${options.parts.join(", ")}; subscribers ${options.subscribers.join(", ")}; rates ${options.rates.join(", ")}/s for ${options.durationSeconds} s`);
  const results: Results = { meta, embedded: null, distributed: null, benchSeconds: 0 };
  if (embeddedParts.length) {
    results.embedded = await embedded(meta, async (session) => {
      if (wants("distributed")) results.distributed = await distributed(meta, session);
    });
  } else if (wants("distributed")) results.distributed = await distributed(meta, null);
  meta.finishedAt = new Date().toISOString();
  meta.cpuProbeMs.end = cpuProbeMs();
  results.benchSeconds = Math.round((performance.now() - started) / 1000);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const base = path.join(RESULTS_DIR, options.out ?? `subscriptions-${meta.date}`);
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
