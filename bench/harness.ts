/**
 * What every benchmark of bench/gateway.ts shares: the server child processes (tracked, killed on
 * exit and signals), plain HTTP requests, CPU counters read from /proc, and the load-generator child.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { freePort, spawnCommand, spawnServer, waitUntilReady, type ServerProcess } from "../tests/utils/processes.ts";
import { repoRoot } from "./datasets.ts";
import type { LoadResult, LoadSpec } from "./load-worker.ts";

export const JWT_SECRET = "bench-jwt-secret-long-enough-for-hs256-0123456789abcdef";

/**
 * Rate limits of every server the benchmark starts: high enough that a load test from 127.0.0.1 is
 * never refused, while the limiter still counts every request (its cost is part of the figures).
 */
export const UNLIMITED_RATE = String(1_000_000_000);

// ---- child processes: every one is tracked and killed on exit, error and signals ----------------------

const children = new Set<ChildProcess>();

// Importing this module installs the clean-up: no child outlives the benchmark.

export function track(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAllChildren(graceMs: number): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child, graceMs)));
}

process.on("exit", () => {
  for (const child of children) if (isRunning(child)) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping ${children.size} child process(es)…`);
    void stopAllChildren(5_000).finally(() => process.exit(130));
  });
}

export interface Server {
  name: string;
  proc: ServerProcess;
  pid: number;
  port: number;
  graphqlUrl: string;
}

/**
 * How servers run: from the TypeScript sources under tsx (the default), or, once useBuild() named one,
 * from a production build (`npm run start:prod`'s way: plain node, no TypeScript loader in the process).
 */
const runtime: { distDir?: string } = {};

export function useBuild(distDir: string | undefined): void {
  runtime.distDir = distDir;
}

export function runtimeLabel(): string {
  return runtime.distDir ? `production build (plain node, ${path.relative(repoRoot, runtime.distDir)})` : "node --import tsx (sources compiled at run time)";
}

export async function startServer(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  readyPath: string,
  nodeArgs: string[] = [],
): Promise<Server> {
  const port = await freePort();
  const fullEnv = { ...env, PORT: String(port), HOST: "127.0.0.1" };
  const proc = runtime.distDir
    ? spawnCommand(process.execPath, [...nodeArgs, path.join(runtime.distDir, script.replace(/\.ts$/, ".js")), ...args], fullEnv)
    : spawnServer(script, args, fullEnv, nodeArgs);
  track(proc.child);
  const started = performance.now();
  await waitUntilReady(proc, `http://127.0.0.1:${port}${readyPath}`);
  console.log(`    ${name} ready on :${port} (pid ${proc.child.pid}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { name, proc, pid: proc.child.pid!, port, graphqlUrl: `http://127.0.0.1:${port}/graphql` };
}

/** Stops the servers (last started first) and returns what they printed beyond their ready line. */
export async function stopServers(servers: Server[]): Promise<Record<string, string>> {
  const outputs: Record<string, string> = {};
  for (const server of [...servers].reverse()) {
    await stopChild(server.proc.child);
    const { exitCode, signalCode } = server.proc.child;
    const exit = exitCode === 0 ? "" : `\n[exited with ${signalCode ?? `code ${exitCode}`} after SIGTERM]`;
    const text = (
      server.proc
        .output()
        .split("\n")
        .filter((line) => line.trim() && !line.includes("API ready at"))
        .join("\n") + exit
    ).trim();
    if (text) {
      outputs[server.name] = text.length > 4000 ? `${text.slice(0, 4000)}\n…` : text;
      console.log(`    output of ${server.name}:\n${text.slice(0, 1500).replace(/^/gm, "      | ")}`);
    }
  }
  return outputs;
}

export async function withServers<T>(
  start: (servers: Server[]) => Promise<void>,
  use: (servers: Server[]) => Promise<T>,
): Promise<{ result: T; outputs: Record<string, string> }> {
  const servers: Server[] = [];
  let result: T;
  try {
    await start(servers);
    result = await use(servers);
  } catch (error) {
    await stopServers(servers);
    throw error;
  }
  return { result, outputs: await stopServers(servers) };
}

export function serverEnv(nodeEnv: "production" | "development", db: { DATABASE_URL: string } | { DATA_DIR: string }): Record<string, string> {
  return {
    NODE_ENV: nodeEnv,
    LOG_LEVEL: "warn",
    DEMO_DATA: "false",
    JWT_SECRET,
    // @apollo/gateway otherwise probes cloud metadata endpoints (169.254.169.254, …) at start and exports
    // usage metrics to usage-reporting.api.apollographql.com: the benchmark talks to 127.0.0.1 only.
    APOLLO_TELEMETRY_DISABLED: "true",
    // The default (600 requests a minute per IP) would refuse a load test from 127.0.0.1 within a second.
    RATE_LIMIT_REQUESTS_PER_MINUTE: UNLIMITED_RATE,
    RATE_LIMIT_MUTATIONS_PER_MINUTE: UNLIMITED_RATE,
    // The same query again and again is what the response cache answers without any work: rows measure
    // the uncached path unless they turn it on themselves (RESPONSE_CACHE_MAX_BYTES).
    RESPONSE_CACHE_MAX_BYTES: "0",
    ...db,
  };
}

// ---- GraphQL requests and checks ----------------------------------------------------------------------

export interface GraphQLError {
  message?: string;
  extensions?: { code?: string; limit?: string; measured?: number | null; allowed?: number } & Record<string, unknown>;
}

export interface GraphQLReply {
  status: number;
  sqlStatements: number | undefined;
  headers: http.IncomingHttpHeaders;
  json: { data?: Record<string, unknown> | null; errors?: GraphQLError[] };
}

/**
 * One request on a fresh connection (agent: false → Connection: close): the probes are spaced by
 * waits longer than the servers' keep-alive timeout, and a reused socket the server is closing
 * would fail the request.
 */
export function post(url: string, body: string, headers: Record<string, string> = {}): Promise<GraphQLReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const header = res.headers["x-sql-statements"];
          try {
            const json = JSON.parse(text) as GraphQLReply["json"];
            resolve({ status: res.statusCode ?? 0, sqlStatements: header === undefined ? undefined : Number(header), headers: res.headers, json });
          } catch {
            reject(new Error(`${url} answered ${res.statusCode} with a non-JSON body: ${text.slice(0, 500)}`));
          }
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${url}: no answer within 30 s`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** GET `url`: its status, or 0 when nothing answers (within 5 s). */
export function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve(0));
    });
    req.setTimeout(5_000, () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

// ---- CPU and PostgreSQL counters ------------------------------------------------------------------------

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** [utime, stime, cutime, cstime] in clock ticks, or undefined when the process is gone. */
export function procTimes(pid: number | string): number[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    return [11, 12, 13, 14].map((i) => Number(fields[i]));
  } catch {
    return undefined;
  }
}

export function processCpuMs(pid: number): number {
  const t = procTimes(pid);
  if (!t) throw new Error(`process ${pid} is gone`);
  return ((t[0]! + t[1]!) * 1000) / CLK_TCK;
}

/**
 * CPU of the PostgreSQL server: every `postgres` process, with the children it reaped (the postmaster's
 * cutime/cstime holds the CPU of backends that ended), so backends ending mid-run are still counted.
 */
export function postgresCpuMs(): number {
  let ticks = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let comm: string;
    try {
      comm = fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim();
    } catch {
      continue;
    }
    if (comm !== "postgres") continue;
    const t = procTimes(entry);
    if (t) ticks += t[0]! + t[1]! + t[2]! + t[3]!;
  }
  return (ticks * 1000) / CLK_TCK;
}

export function machineTicks(): { busy: number; total: number } {
  const cpu = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

export interface Meta {
  date: string;
  /** The commit measured, and the files that differed from it (others edit the tree meanwhile). */
  git: { head: string; dirty: string[] };
  /** cpuProbeMs() at the start and the end of the run. */
  cpuProbeMs: { start: number; end?: number };
  startedAt: string;
  finishedAt?: string;
  machine: { os: string; cpuModel: string; cpuCount: number; memoryGiB: number };
  node: string;
  postgres: string;
  pglite: string;
  parameters: Record<string, unknown> & { connections: number; durationSeconds: number; warmupSeconds: number };
}

export function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export function gitState(): Meta["git"] {
  try {
    // Porcelain lines are "XY path": read them untrimmed (" M a.ts" starts with a space).
    const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: repoRoot, encoding: "utf8" });
    return { head: git("rev-parse", "HEAD"), dirty: status.split("\n").filter(Boolean).map((line) => line.slice(3)) };
  } catch {
    return { head: "unknown", dirty: [] };
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The options every side-by-side benchmark (bench/browse-builds.ts, bench/gateway-own-cpu.ts) shares,
 * for node:util's parseArgs: the data set, the operations, the alternated rounds and their load, the
 * profiler, the results' name.
 *   --size 2000  --queries browse,listing  --rounds 2  --duration 8  --warmup 4  --connections 10
 *   --pg-url postgres://postgres@127.0.0.1:5432/postgres  --node-arg <arg> (repeatable, every gateway)
 *   --profile (each gateway under --cpu-prof: self time per request of the measured windows, side by
 *   side, bench/results/profiles/<out>.txt)  --top 30  --out <name>
 */
export const SIDE_BY_SIDE_OPTIONS = {
  size: { type: "string", default: "2000" },
  queries: { type: "string", default: "browse,listing" },
  rounds: { type: "string", default: "2" },
  duration: { type: "string", default: "8" },
  warmup: { type: "string", default: "4" },
  connections: { type: "string", default: "10" },
  "pg-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
  "node-arg": { type: "string", multiple: true, default: [] as string[] },
  profile: { type: "boolean", default: false },
  top: { type: "string", default: "30" },
  out: { type: "string" },
} as const;

/** Round `round` (from 1) of alternated runs: odd rounds in the given order, even ones reversed. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  return round % 2 ? [...items] : [...items].reverse();
}
export const round2 = (n: number) => Math.round(n * 100) / 100;
export const round3 = (n: number) => Math.round(n * 1000) / 1000;

export function localDate(d = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

// ---- memory -----------------------------------------------------------------------------------------------

/** A process's resident set now and its peak so far (VmRSS, VmHWM of /proc/<pid>/status), MB; undefined once gone. */
export function rssMb(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rss: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
  } catch {
    return undefined;
  }
}

/** Samples the RSS of `processes` every `everyMs` until stopped: the highest seen per process, MB. */
export function sampleRss(processes: Record<string, number>, everyMs = 200): () => Record<string, number> {
  const peaks: Record<string, number> = {};
  const sample = () => {
    for (const [name, pid] of Object.entries(processes)) {
      const rss = rssMb(pid)?.rss;
      if (rss !== undefined) peaks[name] = Math.max(peaks[name] ?? 0, rss);
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return () => {
    clearInterval(timer);
    sample();
    return peaks;
  };
}

// ---- load -----------------------------------------------------------------------------------------------

/**
 * Runs one load generator child and returns its result; kills it when it runs past `timeoutMs`
 * (default: its duration + 60 s, or 5 minutes for a fixed number of requests).
 */
export function runWorker(spec: LoadSpec, timeoutMs = spec.amount ? 300_000 : (spec.durationSeconds + 60) * 1000): Promise<LoadResult> {
  // One argument may hold at most 128 KiB (Linux MAX_ARG_STRLEN): a larger spec goes through a file.
  let specArg = JSON.stringify(spec);
  let specFile: string | undefined;
  if (specArg.length > 64 * 1024) {
    specFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "piata-bench-")), "spec.json");
    fs.writeFileSync(specFile, specArg);
    specArg = `@${specFile}`;
  }
  const removeSpecFile = () => specFile && fs.rmSync(path.dirname(specFile), { recursive: true, force: true });
  return new Promise<LoadResult>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "bench/load-worker.ts"), specArg], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    track(child);
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      stderr += `\n[killed: still running after ${timeoutMs} ms]`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`load worker exited with ${code}:\n${stderr}${stdout}`));
      try {
        resolve(JSON.parse(stdout.trim().split("\n").pop()!) as LoadResult);
      } catch (error) {
        reject(new Error(`load worker printed no result (${(error as Error).message}):\n${stdout}\n${stderr}`));
      }
    });
  }).finally(removeSpecFile);
}

export interface Measured {
  load: LoadResult;
  /** The machine before the measured load (see waitForQuiet). */
  before: Quiet;
  /** Per server process: CPU ms per completed request of the measured load, and the share of one core it used. */
  cpuMsPerRequest: Record<string, number>;
  cpuCorePct: Record<string, number>;
  postgresCpuMsPerRequest: number | null;
  /** Busy share of all cores over the run, and the part of it no process of this benchmark accounts for. */
  machineBusyPct: number;
  otherLoadPct: number;
  /** The second load generator's result, when one ran alongside. */
  alongside?: LoadResult;
  /** When the measured load ran: process.hrtime, µs (CLOCK_MONOTONIC, the clock of V8's CPU profiles). */
  windowUs: { startUs: number; endUs: number };
  /** Per server process: the highest RSS sampled (every 200 ms) over the warm-up and the measured load, MB. */
  peakRssMb: Record<string, number>;
}

export interface MeasureRun {
  /** The measured load. */
  spec: LoadSpec;
  /** Unmeasured load first (JIT, caches, connection pools). */
  warmup?: LoadSpec;
  /** A second load generator started together with the measured one (its requests are not in the per-request CPU). */
  alongside?: LoadSpec;
}

/** The load of `run`, with the CPU each server process (and PostgreSQL) used meanwhile. */
export async function measure(run: MeasureRun, processes: Record<string, number>, usesPostgres: boolean): Promise<Measured> {
  const stopSampling = sampleRss(processes);
  if (run.warmup) await runWorker(run.warmup);
  const before = await waitForQuiet(processes);
  const cpuBefore = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, processCpuMs(pid)]));
  const pgBefore = postgresCpuMs();
  const selfBefore = process.cpuUsage();
  const machineBefore = machineTicks();
  const started = performance.now();
  const startUs = Number(process.hrtime.bigint() / 1000n);
  const [load, alongside] = await Promise.all([runWorker(run.spec), run.alongside ? runWorker(run.alongside) : undefined]);
  const endUs = Number(process.hrtime.bigint() / 1000n);
  const peakRssMb = stopSampling();
  const wallMs = performance.now() - started;
  const machineAfter = machineTicks();
  const requests = Math.max(1, load.requests);
  const cpuMsPerRequest: Record<string, number> = {};
  const cpuCorePct: Record<string, number> = {};
  let serversMs = 0;
  for (const [name, pid] of Object.entries(processes)) {
    const used = processCpuMs(pid) - cpuBefore[name]!;
    serversMs += used;
    cpuMsPerRequest[name] = round3(used / requests);
    cpuCorePct[name] = Math.round((used / wallMs) * 100);
  }
  const pgUsed = postgresCpuMs() - pgBefore;
  const self = process.cpuUsage(selfBefore);
  const machineTotalMs = ((machineAfter.total - machineBefore.total) * 1000) / CLK_TCK;
  const machineBusyMs = ((machineAfter.busy - machineBefore.busy) * 1000) / CLK_TCK;
  const oursMs = serversMs + pgUsed + load.processCpuMs + (alongside?.processCpuMs ?? 0) + (self.user + self.system) / 1000;
  return {
    load,
    before,
    cpuMsPerRequest,
    cpuCorePct,
    postgresCpuMsPerRequest: usesPostgres ? round3(pgUsed / requests) : null,
    machineBusyPct: Math.round((machineBusyMs / Math.max(1, machineTotalMs)) * 100),
    otherLoadPct: Math.max(0, Math.round(((machineBusyMs - oursMs) / Math.max(1, machineTotalMs)) * 100)),
    ...(alongside ? { alongside } : {}),
    windowUs: { startUs, endUs },
    peakRssMb,
  };
}

// ---- other processes on the machine ------------------------------------------------------------------------

export interface Quiet {
  /** CPU used by processes outside the benchmark, % of all cores, over the last 2 s sampled. */
  otherPct: number;
  /** Seconds waited after the first 2 s sample. */
  waitedSeconds: number;
  /** False when the machine stayed busier than the threshold for the whole wait. */
  quiet: boolean;
}

const quietSettings = { maxWaitSeconds: 0, thresholdPct: 25, budgetSeconds: 0, spentSeconds: 0 };

/**
 * Before each measured load, wait (up to maxWaitSeconds, and budgetSeconds over the whole benchmark)
 * until other processes use at most thresholdPct of the CPU.
 */
export function setQuietWait(maxWaitSeconds: number, thresholdPct: number, budgetSeconds: number): void {
  Object.assign(quietSettings, { maxWaitSeconds, thresholdPct, budgetSeconds, spentSeconds: 0 });
}

/** How the wait for a quiet machine was set, for the Method of the results. */
export function quietMethod(): string {
  return quietSettings.maxWaitSeconds > 0
    ? `Before each measured load the benchmark samples for 2 s the CPU used by processes outside it (others share this machine) and waits, up to ${quietSettings.maxWaitSeconds} s (and ${quietSettings.budgetSeconds} s over the whole run; ${Math.round(quietSettings.spentSeconds)} s were spent waiting, the 2 s samples not counted), while it is above ${quietSettings.thresholdPct} % of all cores; the figure found is in the JSON (\`before\`), and "busy" marks a run measured after the wait ran out.`
    : "No wait for a quiet machine (--quiet-wait 0).";
}

/** Share of all cores busy over `ms` beyond what `processes`, PostgreSQL and this process used. */
async function otherLoadPct(processes: Record<string, number>, ms = 2000): Promise<number> {
  const ours = () => Object.values(processes).reduce((a, pid) => a + (procTimes(pid) ? processCpuMs(pid) : 0), 0) + postgresCpuMs();
  const machineBefore = machineTicks();
  const oursBefore = ours();
  const selfBefore = process.cpuUsage();
  await sleep(ms);
  const machineAfter = machineTicks();
  const self = process.cpuUsage(selfBefore);
  const totalMs = ((machineAfter.total - machineBefore.total) * 1000) / CLK_TCK;
  const busyMs = ((machineAfter.busy - machineBefore.busy) * 1000) / CLK_TCK;
  const otherMs = busyMs - (ours() - oursBefore) - (self.user + self.system) / 1000;
  return Math.max(0, Math.round((otherMs / Math.max(1, totalMs)) * 100));
}

/**
 * The machine is shared (others run tests meanwhile): sample the CPU other processes use, and wait
 * while it is above the threshold, checking every few seconds, at most maxWaitSeconds.
 */
export async function waitForQuiet(processes: Record<string, number>): Promise<Quiet> {
  let otherPct = await otherLoadPct(processes);
  // The first 2 s sample is taken before every load: only what comes after it counts as waiting.
  const started = performance.now();
  for (let announced = false; ; otherPct = await otherLoadPct(processes)) {
    const waitedSeconds = Math.round((performance.now() - started) / 100) / 10;
    if (otherPct <= quietSettings.thresholdPct) {
      quietSettings.spentSeconds += waitedSeconds;
      return { otherPct, waitedSeconds, quiet: true };
    }
    if (waitedSeconds >= quietSettings.maxWaitSeconds || quietSettings.spentSeconds + waitedSeconds >= quietSettings.budgetSeconds) {
      quietSettings.spentSeconds += waitedSeconds;
      if (quietSettings.maxWaitSeconds > 0) console.log(`    the machine stayed busy (${otherPct}% of the CPU used by other processes): measuring anyway`);
      return { otherPct, waitedSeconds, quiet: false };
    }
    if (!announced) console.log(`    waiting for other processes to quieten (${otherPct}% of the CPU; at most ${quietSettings.maxWaitSeconds} s)…`);
    announced = true;
    await sleep(3000);
  }
}

/** A fixed piece of JavaScript, timed: how fast this machine runs right now (others share it). */
export function cpuProbeMs(): number {
  const started = process.hrtime.bigint();
  let x = 0;
  for (let i = 0; i < 100_000_000; i++) x += i % 7;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return x > 0 ? Math.round(ms) : -1;
}
